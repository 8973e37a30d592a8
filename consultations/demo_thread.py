"""The demo's long thread on the low-value parcels consultation: what carriers, marketplaces, shops and
brokers would write, each comment its own, some with replies. Enough threads for several pages."""

from __future__ import annotations

# (text, [replies]) in the order they were posted; each reply is posted by someone other than the author.
THREAD: list[tuple[str, list[str]]] = [
    ("A one-hour release target needs the data set four hours before arrival, not at wheels-down. For flights "
     "shorter than four hours, could the cut-off be the departure instead?",
     ["Agreed. Our hub would need the data at least three hours before landing to plan the night shift."]),
    ("Returns are about a third of our parcels. Please keep the simplified procedure for returned goods, with "
     "the original export reference as the only link.", ["Same for us: returns are 28 % of our fashion volume."]),
    ("Our warehouse system already sends a data set very close to this one to two other administrations. We "
     "could file from the first day if the fields follow the WCO data model.", []),
    ("Small carriers will need a web form as well as the system-to-system interface. A courier with twenty "
     "parcels a day will not build an interface.",
     ["A web form would suit us too: we file fewer than fifty parcels a week."]),
    ("For bundled orders, is the 150-euro limit per parcel or per order? Marketplaces split orders across "
     "parcels, and the answer changes which rules apply.",
     ["Per order would be simpler for marketplaces, but customs would then need the order reference in the "
      "data set."]),
    ("We do not hold a six-digit commodity code for about 40 % of our sellers' products. A description-to-code "
     "service from customs would help more than penalties.", []),
    ("The buyer's phone number is personal data we hold only for delivery. Please say in the final text why "
     "customs needs it and how long it is kept.", []),
    ("Release within an hour is welcome, but what happens to a parcel selected for control at 22:00 on a "
     "Friday? Our customers judge us on weekend delivery.", []),
    ("We propose that the data set can be amended until arrival without penalty: sellers correct descriptions "
     "after the flight has left.", []),
    ("Postal operators file through the UPU network today. Will the single data set accept their ITMATT "
     "messages, or will they need a second channel?",
     ["The UPU channel should stay: small postal operators have no other link."]),
    ("Our members are small online shops selling mostly through two marketplaces. The marketplace filing on "
     "their behalf is the only workable option for them.", []),
    ("The draft says 'filed once'. Does the carrier's filing replace the transit declaration for parcels that "
     "cross a second member state?", []),
    ("We support the green lane, but its criteria should be published, at least in outline, so that operators "
     "know what to improve.", ["Seconded: even an outline would let us train our sellers."]),
    ("A one-hour target should come with a measured figure on the performance pages, per airport, so that we "
     "can plan staffing.", []),
    ("Our pharmacy clients ship medicines in parcels. Please confirm that goods needing a licence stay out of "
     "the green lane whatever their value.", []),
    ("The valuation of free samples is unclear: the data set asks for a price and there is none. Could it "
     "accept a value with a reason code?", []),
    ("Sellers price in dollars and yuan. Which exchange rate applies: the one on the day of sale or on the day "
     "of filing?", []),
    ("We handle around 40,000 parcels a night at the hub. A message per parcel is fine; what we need back is "
     "an acknowledgement per parcel within seconds.", []),
    ("Please publish the technical specifications at least twelve months before the start date. Our last "
     "system change took nine months from the final specification.",
     ["Nine months was our experience too, and that was with a test environment from the start."]),
    ("Annex 2 lists goods that lose the duty relief, but it refers to codes that were renumbered last year. "
     "Please update it before the final text.", []),
    ("Marketplace data often describes goods as 'gift' or 'accessory'. A list of descriptions customs will "
     "reject would let us block them when sellers list their products.", []),
    ("A parcel with two items, one of them restricted, should be held on its own, not the whole consignment it "
     "travels in. The draft does not say so.", []),
    ("We agree with a single data set but ask for a transition year in which missing non-critical fields give "
     "warnings, not rejections.", []),
    ("For parcels under the Import One-Stop Shop, the IOSS number is already checked on the tax side. Please "
     "do not ask carriers to validate it a second time.", []),
    ("Our drivers collect returns at the door. Could the return declaration be filed from the handheld, with "
     "the original parcel's reference?", []),
    ("The draft mentions fines for late filing. Please tell late filing by the carrier apart from late data "
     "from the seller, which the carrier cannot control.", []),
    ("Many of our bicycle-part parcels pass 150 euros only with the shipping cost. Please confirm in the text "
     "that transport is left out of the intrinsic value.", []),
    ("Customs brokers who file for several carriers need one access with several roles, not a separate login "
     "for each carrier.", []),
    ("The 'seller identification' field should accept the marketplace's seller ID when the seller has no EORI "
     "number.", []),
    ("Perishables such as flowers and food need release faster than the one-hour target. Could the data set "
     "flag them for priority handling?", []),
    ("We can send data before departure for air freight, but not for road consignments loaded as the van "
     "leaves the depot.", []),
    ("Please keep the threshold at 150 euros for the whole consignment, as in the current law, rather than "
     "adding a second limit per item.", []),
    ("Risk alerts should reach us as messages as well as on the portal: our night shift does not watch a web "
     "page.", []),
    ("A data-quality score per operator, visible to that operator, would do more for better data than "
     "penalties.", []),
    ("Will there be a test environment open to small operators free of charge? The cost worries our members "
     "more than the change itself.", []),
    ("The one-hour release should also apply to parcels sent back because the buyer refused them.", []),
    ("Who bears the VAT when a marketplace filed the data set with a wrong IOSS number? The draft is silent.",
     []),
    ("Please allow house consignments to be linked to the master air waybill after filing: airlines often "
     "move parcels to another flight.", ["This happened to us twice last month, both times at night."]),
    ("We would like customs to accept data straight from our sellers' platforms, with our authorisation, "
     "instead of our staff keying it again.", []),
    ("The draft's definition of 'carrier' leaves out the last-mile courier who takes over from the airline. "
     "Please include it.", []),
    ("Could the final text give an example of a complete data set for a typical parcel? It would settle many "
     "of the questions raised here.", []),
    ("For high-volume sellers, a monthly report of rejected filings with the reasons would help us correct "
     "the data at the source.", []),
    ("From the pilot: most rejections came from the format of the buyer's postcode. A format check at entry "
     "fixed half of them.", ["We saw the same in the pilot; a list of formats per country would help."]),
]
