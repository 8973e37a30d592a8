"""The demo courses: three real courses for three centres, with lessons and a quiz bank each.

Each question is (text, kind, explanation, [(answer, right?), ...]).
"""

from __future__ import annotations

CLASSIFICATION_RULES = """\
Every declaration starts with a commodity code, and every commodity code starts with the Harmonized System
(HS). Customs will judge your code by the **General Interpretative Rules** (GIRs), applied strictly in order:
you only move to the next rule when the one before does not settle the question.

1. **GIR 1** — classification is decided by the *terms of the headings* and the *Section and Chapter Notes*.
   Section and chapter titles are for reference only. Most goods are classified by GIR 1 alone.
2. **GIR 2(a)** — an incomplete or unfinished article is classified as the finished article if it already
   has its *essential character*; so is a complete article delivered unassembled or disassembled.
   **GIR 2(b)** extends a heading for a material to mixtures and combinations with other materials.
3. **GIR 3** — when goods seem to fall in two or more headings: (a) the *most specific description* wins;
   (b) mixtures, composite goods and sets are classified by the component that gives them their
   *essential character*; (c) if neither settles it, take the heading that comes *last in numerical order*.
4. **GIR 4** — goods that fit no heading go with the goods they are *most akin* to.
5. **GIR 5** — cases and packing made for the article and presented with it are classified with it.
6. **GIR 6** — the same rules apply at subheading level, comparing only subheadings *at the same level*.

## What this means for you

Write down which rule decided each code you use, and keep the product data that supports it (drawings,
data sheets, composition). When customs queries a classification, an argument that walks through the
GIRs in order is far more convincing than "we have always used this code".
"""

SECTION_XVI = """\
Machinery lives mostly in Chapters 84 and 85 (Section XVI), and the Section Notes decide most hard cases.

**Parts (Note 2).** A part that is itself a good named in a heading of Chapter 84 or 85 — a pump, an
electric motor, a valve — goes to *its own heading*, not to the machine it will be fitted to. Other parts
suitable for use *solely or principally* with one kind of machine go with that machine (or to a parts
heading such as 84.31 or 84.66). Only what is left over falls to the general headings 84.87 or 85.48.

**Composite and multi-function machines (Note 3).** A machine that combines several machines, or does
several jobs, is classified by its *principal function*.

**Functional units (Note 4).** When separate components — linked by piping, transmission devices, electric
cables or other devices — together perform *one clearly defined function* covered by a heading of
Chapter 84 or 85, the whole is classified in that heading. A palletising line made of a robot, infeed
conveyors and a wrapping station, delivered together to palletise goods, may be one functional unit.
Equipment that merely helps (a control room PC, spare parts) is not part of the unit.

**Machines with individual functions.** Heading 84.79 takes machines that have their own function and are
not specified anywhere else in the chapter. It is a residual heading: check the specific ones first.

## Practical tips

- Classify a shipment that arrives in several lots as a functional unit only if the documents show it is
  one unit; tell customs in advance when a unit is split over several declarations.
- Keep one classification file per machine model, with the reasoning and any customs ruling.
"""

VALUATION = """\
Customs duty on machinery is usually charged on its **customs value**, and the first method — the
**transaction value** — applies to most imports: the *price actually paid or payable* for the goods when sold
for export to the customs territory, with some costs added and some left out.

## Costs you must add, if the buyer bears them and they are not already in the price

- **Commissions and brokerage**, except buying commissions.
- **Containers and packing**, including labour and materials.
- **Assists**: materials, components, tools, dies and moulds, and engineering, development, artwork or
  design work done *outside* the country of importation, that the buyer supplies free or at reduced cost
  for the production of the goods. A mould you ship to your supplier to make parts is a classic assist.
- **Royalties and licence fees** related to the goods that the buyer must pay *as a condition of sale*.
- **Proceeds of any later resale** that go back to the seller.
- **Transport and insurance** up to the place where the goods enter the customs territory (in the EU).

## Costs you may leave out, if they are shown separately from the price

- Erection, installation, assembly, maintenance or technical assistance *after* importation — common in
  machinery contracts, so ask the seller to invoice them as separate lines.
- Transport after arrival in the customs territory.
- Import duties and taxes.

If the price is not acceptable (for example, sales between related parties where the relationship
influenced the price), the other methods follow in strict order: identical goods, similar goods,
deductive, computed, and a fall-back method.
"""

RULINGS_AND_RECORDS = """\
Two habits protect a machinery importer from most classification and valuation disputes.

## Ask customs before you import

In the European Union a **Binding Tariff Information** (BTI) decision fixes the commodity code of a
specific product. It is valid for **three years** and binds both customs and its holder: you must declare
the goods under the code it gives and quote its reference in the declaration. Other administrations
offer the same under names such as *advance ruling*. Apply with a precise description, photographs,
data sheets and the code you propose and why. Rulings on **origin** and, in some countries, on
**valuation** methods exist too.

## Keep records that a customs auditor can follow

Under the Union Customs Code you keep the documents behind each declaration for **at least three
years**, and often longer because tax law asks for it. For machinery that means:

- the contract, pro-forma and commercial invoices, and any price adjustments after delivery;
- evidence of assists and royalties, and how their value was shared across shipments;
- the classification file for each model and any ruling;
- transport and insurance documents, and the link from each declaration to your stock records.

An AEO applicant will be asked in the self-assessment questionnaire how it controls classification and
valuation, who decides, and how staff are trained. These records are the evidence.
"""

MACHINERY_QUIZ = [
    ("Which rule is applied first when classifying any goods?", "single",
     "GIR 1 comes first: the terms of the headings and the Section and Chapter Notes. Later rules apply only "
     "when GIR 1 does not settle the question.",
     [("GIR 1: the terms of the headings and the Section and Chapter Notes", True),
      ("GIR 3(c): the heading last in numerical order", False),
      ("The title of the Section or Chapter", False),
      ("Whichever heading has the lowest duty rate", False)]),
    ("An unassembled machine is delivered in crates, complete. How is it classified?", "single",
     "GIR 2(a) classifies a complete article presented unassembled or disassembled as the assembled article.",
     [("As the assembled machine, under GIR 2(a)", True),
      ("Each crate is classified separately by its contents", False),
      ("Under heading 84.87 as parts of machinery", False)]),
    ("A palletising robot, its infeed conveyors and a stretch-wrapping station are delivered together and "
     "together palletise goods. Which statements are right?", "multiple",
     "Note 4 to Section XVI: components linked to contribute together to one clearly defined function covered "
     "by a heading are classified together in that heading. An office PC used only to monitor the line is not "
     "part of the functional unit.",
     [("They may be one functional unit under Note 4 to Section XVI", True),
      ("If they are a functional unit, the whole is classified in the heading of that function", True),
      ("A desktop PC in the control room that only monitors the line is part of the unit", False),
      ("Each component must always be declared under its own heading", False)]),
    ("An electric motor is imported as a spare part for a packing machine. Where does it go?", "single",
     "Note 2(a) to Section XVI: a part that is itself a good of a heading of Chapter 84 or 85 goes to its own "
     "heading — electric motors to heading 85.01 — not to the machine.",
     [("In its own heading for electric motors", True),
      ("With the packing machine", False),
      ("In the general parts heading 84.87", False)]),
    ("Which of these must be added to the price paid to arrive at the transaction value?", "multiple",
     "Assists supplied free by the buyer and royalties paid as a condition of sale are additions. Installation "
     "after importation and buying commissions are not, provided they are shown separately.",
     [("A mould the buyer supplied free of charge to the foreign maker of the goods", True),
      ("A royalty the buyer must pay to the seller as a condition of sale", True),
      ("Installation at the buyer's plant after importation, invoiced separately", False),
      ("A buying commission paid to the buyer's own agent", False)]),
    ("How long is an EU Binding Tariff Information decision valid?", "single",
     "A BTI decision is valid for three years from the date it takes effect, and binds both customs and the "
     "holder.",
     [("Three years", True), ("One year", False), ("Until the holder cancels it", False),
      ("Ten years", False)]),
    ("When goods could fall under two headings and neither GIR 1 nor GIR 2 settles it, which heading is "
     "preferred first?", "single",
     "GIR 3(a): the heading that provides the most specific description. Essential character (3b) and the last "
     "heading in numerical order (3c) follow only if 3(a) does not decide.",
     [("The heading with the most specific description", True),
      ("The heading that comes last in numerical order", False),
      ("The heading the importer used last time", False)]),
]

RISK_ASSESSMENT = """\
The security and safety part of an AEO application starts with two questions: **who is responsible for
security**, and **what could go wrong at each of your sites**.

## One person responsible

Name a security manager with the authority to act, a deputy, and a written security policy signed by the
management. Customs will ask how security is organised across departments and sites.

## A risk and threat assessment for every site

For each warehouse, production site and office that handles goods or their data, describe:

- **the flows** — how goods, people, vehicles and information move in and out;
- **the threats** — theft and diversion of high-value medicines, insertion of *falsified medicines* into the
  legitimate chain, tampering and contamination, smuggling of drugs in shipments, misuse of controlled
  substances and drug precursors, cyber-attacks on order and shipping systems;
- **the measures** in place against each threat, and their weaknesses;
- **the owner** of each remaining action, with a date.

Review the assessment at least once a year and after every incident or change (a new site, a new carrier,
a new product line). Keep the dated versions: they show customs that the assessment is alive.

## Pharmaceutical specifics

Good Distribution Practice (GDP) already asks for qualified suppliers, temperature control and
traceability. Build on it rather than writing a separate system: your GDP supplier qualification, deviation
handling and recall procedures are evidence for AEO criteria too.
"""

PERSONNEL_ACCESS = """\
Most security incidents in supply chains involve people who were allowed in. AEO security criteria
therefore ask how you choose staff and how you control who enters where.

## Personnel security

- **Screening before employment**, within what the law allows: identity, right to work, references and, for
  security-sensitive positions, criminal-record checks.
- **Periodic re-checks** for people in sensitive positions (dispatch, controlled-substance vaults,
  IT administrators).
- **Security training** at induction and every year: recognising tampering, reporting suspicious
  behaviour, handling controlled substances, phishing.
- **Leavers**: recover badges, keys and tokens and revoke system access on the last working day.
- **Temporary staff and contractors** follow the same rules through the agency contract.

## Physical access controls

- Separate **restricted areas** (vaults, loading bays, server rooms) with access granted by role and
  reviewed regularly.
- **Visitors** show identification, are registered on arrival and departure, wear a visible badge and are
  escorted in restricted areas.
- **Drivers** wait in a designated area; their identity and vehicle registration are checked against the
  booking.
- **Keys and codes** are issued against a signature and changed when someone leaves.

Keep logs (badge systems, visitor books) for the period your security policy sets; customs may ask to see
them during an audit.
"""

SEALS_INSPECTION = """\
A container or trailer is only as secure as its seal and the check made before it was closed.

## The seven-point inspection

Before loading (and on receipt of an empty container), inspect:

1. the **front wall**;
2. the **left side**;
3. the **right side**;
4. the **floor**;
5. the **ceiling or roof**;
6. the **inside and outside of the doors**, including their locking mechanisms;
7. the **outside and undercarriage**.

Look for false walls and floors, fresh welds or paint, unusual rivets, and differences between inside and
outside measurements. Record the inspection on a checklist with the container number, the name of the
inspector, date and time.

## Seals

- Use **high-security mechanical seals** that meet ISO 17712 for containers in international traffic.
- Keep seals in a **locked place**; only named people issue them, and a **seal log** records each number.
- Put the seal on the **right-hand door** at the locking bar that cannot be removed without breaking it,
  and write the seal number on the shipping documents.
- Check a seal with **VVTT**: *View* the seal and locking mechanism, *Verify* the number against the
  documents, *Tug* on it, and *Twist and turn* it to make sure it does not unscrew.
- Report a **broken or mismatched seal** at once to the carrier and, where required, to customs; do not
  unload until it has been recorded.
"""

COLD_CHAIN = """\
Medicines add two concerns to cargo security: the goods must stay at the right **temperature**, and the
chain must keep out **falsified medicines**.

## Incoming goods

- Compare what arrives with the purchase order and the advance shipping notice: supplier, quantities,
  batch numbers and seal numbers.
- Read the **temperature logger** before accepting refrigerated goods (2 to 8 °C for most vaccines and
  biologics); quarantine the shipment if the record shows an excursion or is missing.
- Verify the **safety features** of prescription medicines where the law requires them: the unique
  identifier and the anti-tampering device.

## Storage

- Store medicines and controlled substances in **separate, restricted** areas with monitored temperatures
  and alarms that reach someone out of hours.
- Count high-value and controlled items regularly and investigate every difference.

## Packing and loading

- Pack under supervision, in the area reserved for it; seal transport boxes with tamper-evident tape.
- Load only vehicles that were booked; check the driver's identity; perform the seven-point inspection
  and seal the load in the presence of your staff.
- Hand over temperature-controlled goods with a pre-conditioned vehicle and a running logger.

Records of each step — checklists, logger files, seal numbers — are what lets you answer customs'
questions about a shipment months later.
"""

PHARMA_QUIZ = [
    ("Which are among the seven points of a container inspection?", "multiple",
     "The seven points are: front wall, left side, right side, floor, ceiling/roof, inside and outside doors "
     "with their locking mechanisms, and outside/undercarriage. The cargo manifest is a document check, not "
     "a point of the physical inspection.",
     [("The floor", True), ("The inside and outside of the doors, with their locking mechanisms", True),
      ("The undercarriage", True), ("The cargo manifest", False)]),
    ("What do the letters VVTT stand for when checking a seal?", "single",
     "View the seal and locking mechanism, Verify the number against the documents, Tug on the seal, Twist "
     "and turn it.",
     [("View, Verify, Tug, Twist and turn", True), ("Validate, Video, Tag, Transmit", False),
      ("Verify, Void, Test, Transfer", False)]),
    ("How often should the risk and threat assessment of a site be reviewed at least?", "single",
     "At least once a year, and also after every incident or significant change such as a new site, carrier "
     "or product line.",
     [("At least once a year and after incidents or changes", True),
      ("Only when applying for AEO status", False),
      ("Every five years", False)]),
    ("A refrigerated shipment arrives without its temperature record. What should happen?", "single",
     "Without proof that the cold chain held, the goods are quarantined until the record is found or the "
     "quality team decides; they must not enter saleable stock.",
     [("Quarantine it until the temperature history is established", True),
      ("Accept it if the boxes feel cold", False),
      ("Accept it and ask the carrier for the record later", False)]),
    ("Which measures belong to personnel security?", "multiple",
     "Pre-employment screening, re-checks for sensitive positions and revoking access on the last working day "
     "are personnel-security measures. Sharing a single badge among a team defeats access control.",
     [("Screening before employment, within what the law allows", True),
      ("Periodic re-checks for people in security-sensitive positions", True),
      ("Revoking badges and system access when someone leaves", True),
      ("One shared badge per team to save costs", False)]),
    ("You find that the seal number on a container does not match the shipping documents. What do you do?",
     "single",
     "A mismatched seal is a security incident: report it at once to the carrier and, where required, to "
     "customs, and do not unload until it has been recorded and investigated.",
     [("Report it at once and hold the container until it is recorded", True),
      ("Cut the seal and unload, then tell the carrier", False),
      ("Correct the number on the documents", False)]),
    ("Which kind of seal is expected on containers in international traffic?", "single",
     "High-security mechanical seals meeting ISO 17712.",
     [("A high-security mechanical seal meeting ISO 17712", True), ("Adhesive tape with the company logo", False),
      ("A padlock whose key travels with the driver", False)]),
]

ORIGIN_BASICS = """\
"Origin" is the economic nationality of goods. It matters for two different reasons, and the rules are
different for each.

## Non-preferential origin

Used for trade-policy measures that apply whatever the duty rate: anti-dumping duties, quotas, embargoes,
origin marking and statistics. Goods wholly obtained in one country originate there; when two or more
countries are involved, the goods originate where they underwent their **last substantial, economically
justified processing** that resulted in a new product or an important stage of manufacture.

## Preferential origin

Used to claim a **lower or zero duty** under a free-trade agreement or a unilateral scheme such as the
Generalised Scheme of Preferences (GSP). Each agreement has its own **product-specific rules** in an annex,
listed by HS heading. A rule can require:

- a **change of tariff classification** (for example, jam of heading 20.07 made from fresh fruit of
  Chapter 8);
- a **maximum value of non-originating materials** as a share of the ex-works price;
- a **specific process** (for example, that milling must take place in the country);
- or a combination of these.

A product can have non-preferential origin in one country and no preferential origin at all. Always ask:
*which agreement, which rule, for which HS heading?*
"""

WHOLLY_OBTAINED = """\
For food and agricultural products, the first question is often whether the goods are **wholly obtained**.

## Wholly obtained

Typical categories found in most agreements:

- plants and plant products **grown and harvested** in the country;
- live animals **born and raised** there, and products from them (milk, eggs, honey);
- products of **hunting and fishing** conducted there;
- products of sea fishing taken by the country's **vessels**, under the conditions of the agreement.

Fruit grown in the country is wholly obtained there. Beef from cattle born elsewhere and fattened in the
country is not wholly obtained — it needs to meet the product-specific rule for its heading.

## Sufficient and insufficient processing

When non-originating materials are used, the product-specific rule says what processing is enough. Some
operations are **never enough**, whatever the rule says. Most agreements list, among others:

- operations to keep goods in good condition during transport and storage (chilling, freezing, ventilation);
- simple washing, sorting, grading, peeling or slicing;
- simple packing and putting up in sets;
- mixing of products where this is simple, and simple addition of sugar.

So repacking imported rice into retail bags does not make the rice originate in the packing country.
"""

CUMULATION_TOLERANCE = """\
Two mechanisms make origin rules easier to meet. Both are set by each agreement, so check the text.

## Cumulation

- **Bilateral cumulation**: materials originating in the *partner* country count as originating in yours.
  Cocoa paste from an agreement partner used in your chocolate counts as yours.
- **Diagonal cumulation**: materials from *other countries* linked by identical origin rules (for
  example, the Pan-Euro-Mediterranean zone) may also count, under the conditions of the agreement.
- **Full cumulation**: even processing carried out in the partner country counts, not only finished
  originating materials.

## Tolerance

The **tolerance** (or *de minimis*) rule lets you use a small amount of non-originating material that does
not meet the product-specific rule — in many agreements up to **10 % of the ex-works price** of the
product, in some recent ones 15 %. The tolerance never lets you exceed a maximum value of non-originating
materials written in the rule itself, and agreements often set different limits for some chapters.

## A worked example

A biscuit maker uses flour from an agreement partner (bilateral cumulation: originating), local butter
(originating), and 8 % of the ex-works price in vanilla from a third country. If the rule for the biscuit's
heading excludes non-originating flavourings, the vanilla can still be covered by a 10 % tolerance.
"""

PROOF_OF_ORIGIN = """\
Preference is granted only when the importer can **prove** origin, and customs may check that proof years
later.

## The proofs

Depending on the agreement:

- a **statement on origin** made out by the exporter on the invoice or another commercial document — by a
  **registered exporter** (REX) or an **approved exporter** for larger consignments, and by any exporter
  for consignments below a set value (often EUR 6 000);
- a **movement certificate** (for example EUR.1) endorsed by the exporting country's authorities, under
  older agreements;
- the **importer's knowledge**, under some recent agreements: the importer holds the production and
  sourcing evidence itself.

## Behind every proof: the exporter's evidence

An exporter who makes a statement on origin must be able to show how the rule was met: bills of
materials, costings with the ex-works price, **supplier's declarations** for materials bought in the
country (long-term supplier's declarations can cover up to two years of deliveries), and production
records.

## Keep it

Keep the proof and the evidence for at least as long as the agreement requires — usually three or four
years from the import — and longer if your national law asks. If a verification shows that origin was
not met, the duty saved becomes payable, often with interest and penalties. An AEO applicant shows in
its questionnaire how it controls origin claims: who checks them and where the evidence is filed.
"""

ORIGIN_QUIZ = [
    ("Which origin matters when you claim a zero duty rate under a free-trade agreement?", "single",
     "Duty preferences depend on preferential origin under the agreement's own rules. Non-preferential origin "
     "serves trade-policy measures such as anti-dumping duties and origin marking.",
     [("Preferential origin, under the agreement's rules", True),
      ("Non-preferential origin", False),
      ("The country the goods were shipped from", False)]),
    ("Which of these are wholly obtained in country A?", "multiple",
     "Plants grown and harvested in A, and milk from animals born and raised in A, are wholly obtained. Beef "
     "from cattle born elsewhere is not; neither is rice merely repacked in A.",
     [("Apples grown and harvested in A", True),
      ("Milk from cows born and raised in A", True),
      ("Beef from cattle born in B and fattened in A", False),
      ("Rice from C repacked into retail bags in A", False)]),
    ("Imported rice is sorted, washed and packed into retail bags. Does it gain origin?", "single",
     "Sorting, washing and simple packing are listed as insufficient operations in most agreements: they never "
     "confer origin, whatever the product-specific rule says.",
     [("No: these are insufficient operations", True),
      ("Yes, if the bags are made locally", False),
      ("Yes, if the packing adds more than 10 % to the value", False)]),
    ("Cocoa paste originating in the agreement partner is used in your chocolate. Under bilateral cumulation "
     "it counts as…", "single",
     "Bilateral cumulation treats materials originating in the partner country as originating in your own.",
     [("…originating in your country", True), ("…non-originating material", False),
      ("…half originating", False)]),
    ("What does a tolerance rule of 10 % allow?", "single",
     "It allows non-originating materials that do not meet the product-specific rule up to 10 % of the "
     "ex-works price, but never beyond a maximum value written in the rule itself.",
     [("Non-originating materials failing the rule, up to 10 % of the ex-works price", True),
      ("Ten per cent of the consignments to be declared without proof of origin", False),
      ("A 10 % reduction of the duty when origin cannot be proved", False)]),
    ("Which documents support an exporter's statement on origin?", "multiple",
     "Bills of materials, costings with the ex-works price and supplier's declarations show how the rule was "
     "met. A commercial invoice alone shows the price, not the origin.",
     [("Bills of materials and costings with the ex-works price", True),
      ("Supplier's declarations for materials bought in the country", True),
      ("The commercial invoice, on its own", False)]),
    ("What happens if a later verification shows that the goods did not meet the origin rule?", "single",
     "The preference is withdrawn: the duty saved becomes payable, often with interest and penalties.",
     [("The duty saved becomes payable, often with interest and penalties", True),
      ("Nothing, once the goods have been released", False),
      ("Only the exporter is fined; the importer keeps the preference", False)]),
]

COURSES = [
    {
        "centre": "machinery", "slug": "classifying-and-valuing-machinery",
        "title": "Classifying and valuing imported machinery",
        "summary": "How the General Interpretative Rules and the Section XVI notes classify machines, parts and "
                   "functional units, what goes into the customs value of a machine, and the rulings and "
                   "records that keep you out of disputes.",
        "level": "intermediate", "duration_minutes": 75, "validity_months": 36,
        "aeo_sections": ["B", "E"],
        "modules": [
            ("Classification", [("The General Interpretative Rules, in order", CLASSIFICATION_RULES, 12),
                                ("Section XVI: parts, multi-function machines and functional units",
                                 SECTION_XVI, 15)]),
            ("Customs value and evidence", [("Transaction value and what must be added", VALUATION, 15),
                                            ("Binding rulings and records an auditor can follow",
                                             RULINGS_AND_RECORDS, 10)]),
        ],
        "quiz": ("Classification and valuation check", 5, 80, 3, MACHINERY_QUIZ),
    },
    {
        "centre": "pharma", "slug": "securing-the-pharmaceutical-supply-chain",
        "title": "Securing the pharmaceutical supply chain for AEO security and safety",
        "summary": "The security part of the AEO questionnaire, applied to medicines: risk and threat assessment "
                   "per site, personnel and access controls, seals and the seven-point container inspection, "
                   "and the cold chain.",
        "level": "intermediate", "duration_minutes": 60, "validity_months": 24,
        "aeo_sections": ["G", "I", "J", "L", "M"],
        "modules": [
            ("Risk and responsibility", [("A risk and threat assessment for every site", RISK_ASSESSMENT, 12),
                                         ("Personnel security and access control", PERSONNEL_ACCESS, 12)]),
            ("Cargo security", [("Seals and the seven-point container inspection", SEALS_INSPECTION, 12),
                                ("Incoming goods, storage and loading in the cold chain", COLD_CHAIN, 10)]),
        ],
        "quiz": ("Supply-chain security check", 5, 80, 3, PHARMA_QUIZ),
    },
    {
        "centre": "agriculture", "slug": "rules-of-origin-for-food",
        "title": "Rules of origin for food and agricultural products",
        "summary": "Preferential and non-preferential origin, wholly obtained products, processing that is and is "
                   "not enough, cumulation and tolerance, and the proof and evidence behind a preference claim.",
        "level": "introductory", "duration_minutes": 50, "validity_months": 36,
        "aeo_sections": ["C", "E"],
        "modules": [
            ("What origin is", [("Preferential and non-preferential origin", ORIGIN_BASICS, 10),
                                ("Wholly obtained products and sufficient processing", WHOLLY_OBTAINED, 12)]),
            ("Claiming preference", [("Cumulation and tolerance", CUMULATION_TOLERANCE, 12),
                                     ("Proving origin and keeping the evidence", PROOF_OF_ORIGIN, 10)]),
        ],
        "quiz": ("Origin check", 5, 80, 3, ORIGIN_QUIZ),
    },
]
