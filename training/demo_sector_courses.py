"""The demo's shorter courses: one for each centre that demo_content.py does not cover, so that every Centre
of Excellence has a course. Each has one module of two lessons and a quiz bank of six questions, three drawn
per attempt, two of them right to pass, and two attempts (the bank is large enough that no question need
come back).

Each question is (text, kind, explanation, [(answer, right?), ...]), the right answers first.
"""

from __future__ import annotations

TEXTILE_CLASSIFICATION = """\
Textiles and clothing fill Section XI (Chapters 50 to 63); footwear is Chapter 64. Three questions settle
most codes.

1. **Knitted or not?** Garments that are *knitted or crocheted* go to Chapter 61; the same garment *woven*
   goes to Chapter 62. Look at the fabric, not at the product's name.
2. **Which material?** A garment of mixed fibres is classified as if it were made entirely of the
   fibre that *predominates by weight* (Note 2 to Section XI). A shirt of 55 % cotton and 45 % polyester is a
   cotton shirt.
3. **For whom?** Men's or boys' and women's or girls' garments have separate headings. A garment that
   cannot be told apart goes to the women's heading.

For footwear, the *outer sole* and the *upper* decide the heading: rubber or plastics, leather, or
textile. The upper's material is the one with the largest external surface area.

## Keep with each style

The fibre composition (a test report for new suppliers), a photograph, and whether the fabric is knitted
or woven. Composition on the label and on the invoice must agree.
"""

TEXTILE_ORIGIN = """\
Most free-trade agreements ask more of clothing than of other goods. The common rule is **double
transformation**: the garment must be made from *yarn*, so that both weaving (or knitting) and making up
happen in the country of origin or a cumulating country.

- A jacket sewn in country A from fabric woven in country A from imported yarn: **originating**.
- The same jacket sewn in country A from fabric imported from a non-cumulating country: **not
  originating**, however much work the sewing took.
- Cutting, sewing and adding buttons is making up; it is not enough on its own.

## What to ask your suppliers

A supplier's declaration for the fabric that names where it was woven and where the yarn came from. Without
it, claiming preference on the garment is a risk that an origin check will find: the duty saved is then
recovered, often for three years of imports.
"""

TEXTILE_QUIZ = [
    ("A pullover is knitted from 60 % wool and 40 % acrylic. Where is it classified?", "single",
     "Knitted garments go to Chapter 61, and a mixture is classified by the fibre that predominates by weight: "
     "wool.",
     [("Chapter 61, as a pullover of wool", True),
      ("Chapter 62, as a pullover of wool", False),
      ("Chapter 61, as a pullover of synthetic fibres", False)]),
    ("A woven shirt's label says 55 % cotton, 45 % polyester. What decides its heading?", "single",
     "Note 2 to Section XI: the fibre that predominates by weight, here cotton; woven shirts are Chapter 62.",
     [("Cotton predominates by weight, so it is a cotton shirt of Chapter 62", True),
      ("Polyester, because synthetic fibres take precedence", False),
      ("The fibre the importer chooses, if the label agrees", False)]),
    ("Which facts decide the heading of a shoe?", "multiple",
     "Chapter 64 classifies by the material of the outer sole and of the upper.",
     [("The material of the outer sole", True),
      ("The material of the upper", True),
      ("The country where the shoe was designed", False),
      ("The retail price", False)]),
    ("A coat is sewn in country A from fabric imported from a country with which A has no cumulation. Under a "
     "double-transformation rule, is it originating in A?", "single",
     "Double transformation needs both the fabric-making and the making up in the country of origin (or a "
     "cumulating country). Sewing alone is not enough.",
     [("No: the fabric was not made there", True),
      ("Yes: sewing a coat is substantial work", False),
      ("Yes, if the sewing adds more than half the value", False)]),
    ("What should you hold before claiming preference on garments made from a supplier's fabric?", "single",
     "A supplier's declaration naming where the fabric was made and from which yarn shows that the double "
     "transformation happened.",
     [("A supplier's declaration for the fabric, naming where it was woven and the yarn's origin", True),
      ("An invoice showing the fabric was paid for", False),
      ("A photograph of the finished garment", False)]),
    ("A garment cannot be identified as either men's or women's. Where is it classified?", "single",
     "The Chapter Notes send garments that cannot be identified as men's or women's to the women's headings.",
     [("In the heading for women's or girls' garments", True),
      ("In the heading for men's or boys' garments", False),
      ("In a residual heading for other garments", False)]),
]

INWARD_PROCESSING = """\
**Inward processing** lets a manufacturer import components, process them and export the products
without paying import duty on the components. It suits a vehicle plant that assembles for export
markets.

## How it works

1. **Authorisation.** Customs authorises the procedure for named goods, operations and premises, after
   checking that it does not harm producers of the same components in the customs territory (the economic
   conditions).
2. **Placing under the procedure.** Each import declaration places the components under inward processing
   instead of releasing them for free circulation.
3. **Discharge.** Within the *period for discharge* set in the authorisation, the processed products are
   exported or placed under another procedure. A **bill of discharge** accounts for the components used,
   by the rate of yield (how many components make one product).
4. **What is not discharged** pays import duty, with compensatory interest.

## Records customs expects

Stock records that link each import declaration to the production orders and the export declarations.
An AEO's records already do most of this: the procedure relies on them.
"""

VEHICLE_PARTS = """\
Parts and accessories of motor vehicles go to **heading 87.08** — but only if two tests are met.

1. **Not excluded by Note 2 to Section XVII.** *Parts of general use* (Section XV: screws, bolts, springs),
   and goods that have their own heading in Chapters 84 or 85 — engines (84.07 and 84.08), pumps, electric
   motors, lamps, batteries — go to their own heading even when made for a car.
2. **Suitable solely or principally for vehicles.** A part that is as much used in other machines is
   classified in its own right.

So a gearbox goes to 87.08, a spark-ignition engine to 84.07, and the bolts that hold either to Chapter 73.

## In practice

Classify each part number once, record the reasoning and any ruling, and check the file when the
design changes: a redesigned bracket can move heading.
"""

AUTOMOTIVE_QUIZ = [
    ("What does inward processing let a vehicle plant do?", "single",
     "Inward processing suspends import duty on components that are processed and then exported.",
     [("Import components without duty, process them and export the products", True),
      ("Pay a lower duty on vehicles sold in the customs territory", False),
      ("Export vehicles without an export declaration", False)]),
    ("What is the bill of discharge?", "single",
     "It accounts, within the period for discharge, for the components placed under the procedure, using the "
     "rate of yield.",
     [("The account of the components used and the products exported, by the rate of yield", True),
      ("The import declaration for the components", False),
      ("The authorisation for the procedure", False)]),
    ("Components under inward processing are neither exported nor discharged in time. What happens?", "single",
     "Import duty becomes due on them, with compensatory interest.",
     [("Import duty is due, with compensatory interest", True),
      ("Nothing, if the components are still in stock", False),
      ("The authorisation is extended automatically", False)]),
    ("Which of these go to heading 87.08 as parts of motor vehicles?", "multiple",
     "A gearbox and a bumper are parts solely or principally for vehicles; an engine has its own heading in "
     "Chapter 84 and bolts are parts of general use.",
     [("A gearbox for a passenger car", True),
      ("A bumper for a passenger car", True),
      ("A spark-ignition engine for a passenger car", False),
      ("Steel bolts used to fit the gearbox", False)]),
    ("Why does a car's starter battery not go to heading 87.08?", "single",
     "Note 2 to Section XVII excludes goods of Chapter 85: batteries have their own heading.",
     [("Electric accumulators have their own heading in Chapter 85", True),
      ("Batteries are not parts of vehicles", False),
      ("Because it is imported separately from the car", False)]),
    ("A part's design changes. What should the classification file show?", "single",
     "Classification follows the goods: a new design is checked again and the reasoning recorded.",
     [("That the new design was checked and the reasoning recorded", True),
      ("Nothing: the part number is unchanged", False),
      ("Only the supplier's new price", False)]),
]

TRADE_DEFENCE = """\
Steel, aluminium and many other metal products carry **anti-dumping** or **countervailing duties** on top of
the ordinary duty. They apply to a product *from a named country*, often at a different rate for each
exporting producer.

## Before each import

- Look up the commodity code and the country of origin in the tariff: the measure and its rates are shown
  with **additional codes**, one per named producer, and a residual rate for all others.
- A producer's own rate applies only if the **commercial invoice carries the declaration** the regulation
  prescribes, signed by the producer's official. Without it, the residual rate — usually the highest —
  applies.
- Origin is the non-preferential origin of the goods. Routing the goods through a third country does not
  change it; processing that does not confer origin does not either.

## When a measure changes

Measures are imposed for five years and reviewed. Expiry, review and new investigations are published in
the Official Journal: someone in your company should read those notices for your products.
"""

STEEL_SAFEGUARD = """\
A **safeguard** protects a whole industry against a surge of imports from everywhere. The steel safeguard
gives each product category **tariff quotas**; imports beyond the quota pay an additional duty of 25 %.

- Quotas are allocated **first come, first served**, in the order in which customs accepts the
  declarations for free circulation. A declaration accepted the day after a quota runs out pays the duty.
- Some quotas are per country of origin, others are shared by all other countries.
- The quota balance is published daily; check it before the goods arrive, not after.

## For your planning

Time the arrival and the declaration of large consignments to the opening of a quota period. A
declaration that is wrong and must be corrected may lose its place in the queue.
"""

METALS_QUIZ = [
    ("An anti-dumping duty names several producers with their own rates. When does a producer's own rate "
     "apply?", "single",
     "Only when the commercial invoice carries the declaration the regulation prescribes; otherwise the "
     "residual rate applies.",
     [("When the invoice carries the prescribed declaration by that producer", True),
      ("Whenever the goods come from that producer", False),
      ("When the importer asks for it in the declaration", False)]),
    ("Steel from country X, subject to anti-dumping duty, is shipped through country Y without processing. "
     "Which origin counts?", "single",
     "Transit or handling that does not confer origin leaves the origin unchanged: X.",
     [("Country X", True), ("Country Y", False), ("Whichever appears on the bill of lading", False)]),
    ("How are the steel safeguard's tariff quotas allocated?", "single",
     "First come, first served, by the date customs accepts the declaration for free circulation.",
     [("First come, first served, by the acceptance of the declaration", True),
      ("In proportion to each importer's past imports", False),
      ("By auction at the start of each quarter", False)]),
    ("What is paid on safeguard steel imported once the quota is used up?", "single",
     "Imports beyond the quota pay the additional safeguard duty of 25 %.",
     [("An additional duty of 25 %", True), ("Nothing more than the ordinary duty", False),
      ("The goods are refused entry", False)]),
    ("Which of these help you avoid a surprise trade-defence duty?", "multiple",
     "Checking the tariff by code and origin, and holding the producer's invoice declaration, settle the "
     "rate before the goods arrive.",
     [("Checking the tariff for the code and the origin before ordering", True),
      ("Asking the producer for the prescribed invoice declaration", True),
      ("Declaring the goods under a code without measures", False),
      ("Declaring the port of loading as the origin", False)]),
    ("For how long is an anti-dumping measure normally imposed?", "single",
     "Five years, after which it expires unless a review finds that dumping and injury would recur.",
     [("Five years, unless a review extends it", True), ("One year", False), ("Without limit", False)]),
]

PRODUCT_SAFETY = """\
Customs checks more than duty. For consumer goods it is the first line of **product safety**: market
surveillance authorities tell customs which products to stop, and customs suspends release when a product
seems to present a serious risk or lacks the marking or documents the law requires.

## What to have before the goods arrive

- The **CE marking** and the manufacturer's or importer's name and address on toys, electrical
  appliances and other goods that need them.
- The **EU declaration of conformity** and, on request, the technical documentation.
- For toys, the warnings and age limits in the language of the market.

## When release is suspended

Customs tells you and the market surveillance authority decides, normally within a few working days:
release, release after corrections, or refusal. A refused product may not be released again under
another procedure. Repeated findings weigh on your compliance record.
"""

LOW_VALUE = """\
Since July 2021 every parcel bought online carries **VAT at import**, however low its value. Two parts of
the rules matter most for a seller or marketplace.

- The **Import One-Stop Shop (IOSS)** lets the seller charge VAT at checkout for consignments of an
  intrinsic value up to 150 euros; the parcel is then released without VAT at the border, on the
  seller's IOSS number.
- **Customs duty relief** still applies up to 150 euros, so these parcels pay VAT but usually no duty.
  Excise goods (alcohol, tobacco, perfume containing alcohol) are excluded from both.

## Data

Low-value parcels are declared with a reduced data set. The commodity code, a description a customs
officer can understand ("women's cotton T-shirt", not "gift"), and the seller's and buyer's details must
be right: risk analysis before arrival runs on them.
"""

CONSUMER_QUIZ = [
    ("Customs finds toys without the CE marking. What happens?", "single",
     "Customs suspends release and tells the market surveillance authority, which decides.",
     [("Release is suspended and the market surveillance authority decides", True),
      ("The toys are released if the duty is paid", False),
      ("The toys are released and the importer is fined later", False)]),
    ("What must an importer hold for an electrical appliance with the CE marking?", "single",
     "The EU declaration of conformity, with the technical documentation available on request.",
     [("The EU declaration of conformity", True), ("A certificate of origin", False),
      ("A photograph of the packaging", False)]),
    ("A parcel's intrinsic value is 120 euros and the seller uses IOSS. What is paid at the border?", "single",
     "The seller charged VAT at checkout; duty relief applies up to 150 euros. Nothing is paid at the border.",
     [("Nothing: VAT was charged at checkout and duty relief applies", True),
      ("VAT and customs duty", False),
      ("Customs duty only", False)]),
    ("Which goods are excluded from the low-value rules?", "multiple",
     "Excise goods are excluded from both IOSS and the duty relief.",
     [("Alcoholic drinks", True), ("Tobacco", True), ("Books", False), ("Clothing", False)]),
    ("Which description should a low-value declaration carry?", "single",
     "A description precise enough for risk analysis and classification.",
     [("Women's cotton T-shirt", True), ("Gift", False), ("Clothes", False)]),
    ("A refused product is sent back to the importer's warehouse. May it be declared again under another "
     "procedure?", "single",
     "A product refused release for safety reasons may not be released under another customs procedure.",
     [("No", True), ("Yes, after a waiting period", False), ("Yes, for export only", False)]),
]

DUAL_USE = """\
Many electronic components — high-performance processors, encryption modules, lasers, some sensors —
are **dual-use items**: they have civil uses and could serve weapons or surveillance. Exporting them may
need a licence.

## Is my product on the list?

Annex I of the EU dual-use regulation sorts items in ten categories; electronics are **Category 3**,
computers **Category 4**, telecommunications and information security **Category 5**. An entry is
decided by **technical parameters** (a frequency, a sampling rate, a key length), not by the product's
name or its commodity code. Ask the manufacturer for the export control classification and check it
against the parameters.

## Not listed is not always free

The **catch-all** rule: an item that is not listed needs a licence when you know, or the authorities tell
you, that it is or may be intended for weapons of mass destruction, for a military end-use in an embargoed
country, or for internal repression.
"""

EXPORT_LICENCES = """\
When an item is listed, it leaves the customs territory only under an **authorisation**.

- A **Union general export authorisation** covers listed items to named destinations under conditions;
  you register before first use and report as it requires.
- A **global** authorisation covers several items to several end-users; an **individual** one covers one
  exporter, one end-user and one consignment or contract.

The export declaration names the authorisation. Customs checks it before release and may ask for the
**end-user statement** that says who will use the item and for what.

## Records

Keep the commercial documents, the classification, the authorisation and the end-user statements for at
least five years. An internal compliance programme that screens every order against sanctions lists and
end-uses is also what the AEO questionnaire asks for under trading-partner security.
"""

ELECTRONICS_QUIZ = [
    ("What decides whether an electronic component is a listed dual-use item?", "single",
     "The control list entries are set by technical parameters, not by name or commodity code.",
     [("Its technical parameters against the list entries", True),
      ("Its commodity code", False),
      ("Whether it is sold to consumers", False)]),
    ("An unlisted item may be for a military end-use in an embargoed country. Does its export need a "
     "licence?", "single",
     "The catch-all rule makes unlisted items subject to authorisation in such cases.",
     [("Yes, under the catch-all rule", True), ("No, because it is not listed", False),
      ("Only if its value exceeds 10,000 euros", False)]),
    ("In which category are electronics found in Annex I?", "single",
     "Category 3 is electronics; 4 computers; 5 telecommunications and information security.",
     [("Category 3", True), ("Category 1", False), ("Category 9", False)]),
    ("Which authorisations may cover the export of a listed item?", "multiple",
     "Union general, global and individual authorisations all exist; a customs declaration alone is never "
     "enough.",
     [("A Union general export authorisation, if its conditions are met", True),
      ("An individual authorisation for the consignment", True),
      ("The export declaration itself, if the item is declared correctly", False)]),
    ("What does an end-user statement say?", "single",
     "Who will use the item, and for what.",
     [("Who will use the item and for what purpose", True),
      ("The item's price and payment terms", False),
      ("The route the goods will travel", False)]),
    ("How long should export control records be kept?", "single",
     "At least five years.",
     [("At least five years", True), ("One year", False), ("Until the goods arrive", False)]),
]

CHEMICALS_CLASSIFICATION = """\
Chemicals and plastics are Section VI (Chapters 28 to 38) and Section VII (Chapters 39 and 40).

- **Chapter 28** takes inorganic chemicals and **Chapter 29** organic chemicals, but only as *separate
  chemically defined compounds*, with or without impurities, or dissolved in water.
- A **mixture** made on purpose — a formulated cleaner, a catalyst preparation, a blend of solvents — is
  usually **Chapter 38** (or a more specific chapter such as 32 for paints, 34 for cleaning preparations).
- **Plastics** in primary forms (granules, powders, liquids) are headings 39.01 to 39.14, sorted by
  polymer; semi-manufactures and articles follow in 39.15 to 39.26.

The CAS number helps identify a compound but does not decide its heading. The safety data sheet gives the
composition customs needs: send it with your ruling application.
"""

RESTRICTED_CHEMICALS = """\
Some chemicals cross the border only with the right papers, and customs checks them at import and export.

- **Drug precursors** (for example acetic anhydride, ephedrine, some solvents) need a registration or a
  licence, and export needs a pre-export notification to the destination country. Suspicious orders must
  be reported.
- **Fluorinated greenhouse gases** and equipment containing them are imported within quotas and by
  registered importers.
- Chemicals under the **Rotterdam Convention** (prior informed consent) need the importing country's
  consent before export.

## In your AEO records

A list of the restricted substances you trade, who checks each order against it and where the licences
are kept. The questionnaire's sections on records and competence will ask.
"""

INDUSTRIAL_QUIZ = [
    ("A pure organic compound with impurities from its manufacture is imported. Which chapter?", "single",
     "Chapter 29 takes separate chemically defined organic compounds, impurities included.",
     [("Chapter 29", True), ("Chapter 38", False), ("Chapter 39", False)]),
    ("A formulated mixture of three solvents made for cleaning circuit boards. Where is it usually "
     "classified?", "single",
     "Deliberate mixtures leave Chapters 28 and 29; cleaning preparations go to Chapter 34, other "
     "preparations to Chapter 38.",
     [("Outside Chapters 28 and 29, as a preparation", True),
      ("Chapter 29, by its main solvent", False),
      ("Chapter 27, as a mineral oil", False)]),
    ("Polyethylene granules: where are they classified?", "single",
     "Plastics in primary forms are in headings 39.01 to 39.14; polymers of ethylene are 39.01.",
     [("Heading 39.01, polymers of ethylene in primary forms", True),
      ("Heading 39.26, other articles of plastics", False),
      ("Chapter 29, as an organic compound", False)]),
    ("Which of these need papers beyond the customs declaration?", "multiple",
     "Drug precursors need registration or licences; F-gases are imported within quotas by registered "
     "importers.",
     [("Acetic anhydride, a drug precursor", True),
      ("A refrigerant gas that is a fluorinated greenhouse gas", True),
      ("Polyethylene granules", False)]),
    ("What does the CAS number do for classification?", "single",
     "It identifies the compound; the heading is decided by the tariff's terms and notes.",
     [("It identifies the compound but does not decide the heading", True),
      ("It decides the heading directly", False),
      ("Nothing: customs ignores it", False)]),
    ("A customer orders an unusual quantity of a precursor and will not say what for. What should you do?",
     "single", "Suspicious orders of drug precursors must be reported to the authorities.",
     [("Report the order to the competent authority", True),
      ("Deliver it, since the customer is registered", False),
      ("Split it into smaller orders", False)]),
]

EXCISE_WAREHOUSES = """\
Energy products — petrol, gas oil, heavy fuel oil, natural gas — carry **excise duty** as well as customs
duty and VAT. Excise becomes due when the products are **released for consumption**, not when they are
made or imported.

## Duty suspension

Products may be produced, stored and received under **duty suspension** in an **authorised tax
warehouse**. The warehousekeeper gives a guarantee, keeps stock accounts per product, and pays the excise
when products leave the suspension regime.

## Your stock accounts

Customs compares the accounts with meter readings and physical stock. Losses beyond the tolerances for
evaporation and handling are treated as released for consumption and pay duty: keep the readings, the
calibration certificates and the reasons for every difference.
"""

EMCS_MOVEMENTS = """\
Energy products move between tax warehouses, or to registered consignees, under duty suspension with an
**electronic administrative document (e-AD)** in the Excise Movement and Control System (EMCS).

1. The consignor submits the draft e-AD before the movement starts; the system validates it and gives it a
   **unique administrative reference code (ARC)**, which travels with the goods.
2. The consignee submits the **report of receipt** within five working days of the end of the movement.
   It discharges the consignor's guarantee.
3. Shortages or excesses found at arrival are declared in the report of receipt.

## When the system is down

A paper document replaces the e-AD under the fallback procedure, and the e-AD is submitted once the
system is back. Keep a written fallback procedure: the AEO questionnaire asks how you manage system
failures.
"""

PETROLEUM_QUIZ = [
    ("When does excise duty on gas oil become due?", "single",
     "At release for consumption, including when it leaves duty suspension.",
     [("When it is released for consumption", True), ("When it is refined", False),
      ("When it is sold to a wholesaler abroad", False)]),
    ("Who gives a guarantee for products stored under duty suspension?", "single",
     "The authorised warehousekeeper.",
     [("The authorised warehousekeeper", True), ("The end customer", False), ("The carrier", False)]),
    ("Stock is short beyond the tolerance for evaporation. How is the shortfall treated?", "single",
     "Unexplained losses beyond the tolerances are treated as released for consumption.",
     [("As released for consumption: excise is due", True), ("As a normal loss: nothing is due", False),
      ("As exported", False)]),
    ("What does the ARC identify?", "single",
     "The unique administrative reference code identifies the validated e-AD of one movement.",
     [("One validated e-AD, for one movement", True), ("The warehousekeeper", False),
      ("The product's commodity code", False)]),
    ("Within what time must the consignee submit the report of receipt?", "single",
     "Within five working days of the end of the movement.",
     [("Five working days of the end of the movement", True), ("Thirty days", False),
      ("Before the goods leave", False)]),
    ("Which belong in a tax warehouse's evidence for its stock accounts?", "multiple",
     "Meter readings and calibration certificates support the accounts; reasons must be recorded for "
     "differences.",
     [("Meter readings", True), ("Calibration certificates of the meters", True),
      ("The sales team's forecasts", False)]),
]


def _course(centre: str, slug: str, title: str, summary: str, aeo_sections: list[str], module: str,
            lessons: list[tuple[str, str, int]], quiz_title: str, bank: list) -> dict:
    return {"centre": centre, "slug": slug, "title": title, "summary": summary, "level": "introductory",
            "duration_minutes": sum(minutes for _title, _body, minutes in lessons) + 10, "validity_months": 36,
            "aeo_sections": aeo_sections, "modules": [(module, lessons)],
            "quiz": (quiz_title, 3, 60, 2, bank)}  # three drawn, two of them right to pass, two attempts


COURSES = [
    _course("apparel", "classifying-textiles-and-proving-their-origin",
            "Classifying textiles and footwear and proving their origin",
            "Knitted or woven, which fibre predominates, what decides a shoe's heading, and the double "
            "transformation rule that garments must meet for preferential origin.", ["B", "E"],
            "Textiles and footwear", [("Classifying garments and footwear", TEXTILE_CLASSIFICATION, 12),
                                      ("Origin of garments: double transformation", TEXTILE_ORIGIN, 10)],
            "Textiles check", TEXTILE_QUIZ),
    _course("automotive", "inward-processing-for-vehicle-assembly",
            "Inward processing and vehicle parts for assembly plants",
            "How inward processing suspends duty on components for vehicles that are exported, what the bill of "
            "discharge accounts for, and which parts go to heading 87.08.", ["C", "E"],
            "Assembly for export", [("Inward processing, from authorisation to discharge", INWARD_PROCESSING, 12),
                                    ("Classifying vehicle parts: Section XVII", VEHICLE_PARTS, 10)],
            "Inward processing check", AUTOMOTIVE_QUIZ),
    _course("base-metals", "trade-defence-on-steel-and-aluminium",
            "Anti-dumping duties and safeguards on steel and aluminium",
            "Checking which trade-defence duties apply to a metal product, when a producer's own rate applies, "
            "and how the steel safeguard's quotas are used up.", ["B", "E"],
            "Trade defence", [("Anti-dumping and countervailing duties", TRADE_DEFENCE, 12),
                              ("The steel safeguard's tariff quotas", STEEL_SAFEGUARD, 10)],
            "Trade defence check", METALS_QUIZ),
    _course("consumer", "product-safety-and-online-sales",
            "Product safety at the border and parcels sold online",
            "What customs checks on consumer goods for market surveillance, what to hold before the goods "
            "arrive, and the VAT and duty rules for low-value parcels.", ["B", "N"],
            "Consumer goods", [("Product safety checks at import", PRODUCT_SAFETY, 10),
                               ("Low-value parcels and the Import One-Stop Shop", LOW_VALUE, 10)],
            "Consumer goods check", CONSUMER_QUIZ),
    _course("electronics", "export-controls-for-dual-use-electronics",
            "Export controls for dual-use electronics",
            "Whether a component is a listed dual-use item, the catch-all rule, the authorisations that cover an "
            "export, and the records an exporter keeps.", ["E", "H", "N"],
            "Dual-use exports", [("Is it a dual-use item?", DUAL_USE, 12),
                                 ("Authorisations, end-user statements and records", EXPORT_LICENCES, 12)],
            "Export controls check", ELECTRONICS_QUIZ),
    _course("industrial", "chemicals-and-plastics-at-the-border",
            "Chemicals and plastics: classification and restricted substances",
            "Chemically defined compounds, mixtures and plastics in the tariff, and the precursors, F-gases "
            "and prior-consent chemicals that need more than a declaration.", ["C", "E"],
            "Chemicals and plastics", [("Classifying chemicals and plastics", CHEMICALS_CLASSIFICATION, 12),
                                       ("Restricted chemicals at the border", RESTRICTED_CHEMICALS, 10)],
            "Chemicals check", INDUSTRIAL_QUIZ),
    _course("petroleum", "excise-and-energy-products",
            "Excise duty suspension and movements of energy products",
            "Tax warehouses and duty suspension for energy products, stock accounts customs can verify, and "
            "moving products under the e-AD in EMCS.", ["C", "D"],
            "Energy products under excise", [("Tax warehouses and duty suspension", EXCISE_WAREHOUSES, 10),
                                             ("Movements under the e-AD", EMCS_MOVEMENTS, 10)],
            "Excise check", PETROLEUM_QUIZ),
]
