# One way to write dates in English everywhere in the portal, e-mails and back office: "1 December 2026".
# (Django's own English formats give "Dec. 1, 2026".) Other languages keep Django's formats for them.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j F Y"
SHORT_DATETIME_FORMAT = "j F Y, H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "H:i"
