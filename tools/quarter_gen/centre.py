"""The coordination centre that receives the mail: its mail host, addresses and names."""


CENTRE_MX = "mx.centre.example.jp"
INCIDENT_ADDR = "incident@centre.example.jp"
INFO_ADDR = "info@centre.example.jp"
CENTRE_JA = "インシデント調整センター"
CENTRE_EN = "Coordination Centre"
