"""Ids, keys and names of the default fixture (fixtures/default.yaml), in one place.

Tests import them from here, so a fixture change is one edit and every test names the
same thing the same way.
"""

from __future__ import annotations

# -- Harness -----------------------------------------------------------------------------

ACCOUNT = "UsersimAccount00000001"
SECOND_ACCOUNT = "UsersimAccount00000002"
ADMIN_KEY = "usersim-admin-key"  # Ada Admin, account admin
VIEWER_KEY = "usersim-viewer-key"  # Wei Zhang, account viewer
SECOND_KEY = "usersim-second-key"  # admin of the second account
LOCKED_KEY = "usersim-locked-key"  # Liam Locke, locked out
PASSWORD = "usersim-password"  # every Harness user's password
ADMIN_ID = "UsersimAdminUser000001"

GARY, SARA, WEI, PRIYA = (
    "Gh4P71mhQkCydNbKtUIiJg",
    "SArz5MsSS8y2PNbwhc8INw",
    "W_zq_nwvTCm50wX3cI6Nhw",
    "Pbx8egtqTMCClUGNg00PTw",
)
LIAM, ERIN, TOMAS = "ZRMnDiaeDTfyp03kUua0OA", "0j8IJBKLLzMMXH_QpqOkUA", "lTGYXV2dyfgYGOgRiS-QKw"
ENGINEERING, RELEASE_MANAGERS, SUPPORT, ADMINS = (
    "7mejLPDtRvOCF8K3roIEVg",
    "KYppi5LjSdCYH8DLT34exA",
    "aw1Um28DZ1oWAKNaCZlQ2A",
    "NvZ1zIHnTvXo4l2UDtkEdQ",
)
STOREFRONT, PAYMENTS = "A0M4nZJJTQekFfp4lX71Zw", "g7sJZKmMRd-oHWdjsjF0ZQ"
PRODUCTION, STAGING = "hRCUcsHmSPaHA7LXKzosAw", "m7d7Kg2TQlKrrlbcnPUY5A"
LDAP_PROVIDER, SAML_PROVIDER = "kMGSz9OslK8PId22bK1KJg", "oXCzODkmMFnyjBBdH7F8Iw"

# -- RapidAPI ----------------------------------------------------------------------------

RAPIDAPI_ADMIN_KEY = "usersim-rapidapi-key"  # Ada Admin: Environment Admin, admin of 7669830
RAPIDAPI_USER_KEY = "usersim-rapidapi-user-key"  # Dev Patel: no admin role, in team 7669831
RAPIDAPI_ORG_ADMIN_KEY = "usersim-rapidapi-org-admin-key"  # Mina Park: only admin of 5755578
RAPIDAPI_LENA_KEY = "usersim-rapidapi-lena-key"  # Lena Fischer: not in team 7669831
RAPIDAPI_DEACTIVATED_KEY = "usersim-rapidapi-deactivated-key"  # Omar Haddad: DEACTIVATED
RAPIDAPI_TEAM_KEY = "usersim-rapidapi-team-key"  # team 7669831
RAPIDAPI_ACME_TEAM_KEY = "usersim-rapidapi-acme-team-key"  # team 6631475

ADA, MINA, DEV, TOM, OMAR, GWEN, PAT, LENA = (
    5500001,
    5713300,
    6049746,
    7344540,
    7344541,
    7344542,
    7344543,
    7344547,
)
ACME, PLATFORM = 5755578, 7669830
ACME_DEFAULT_TEAM, ACME_TEAM, PLATFORM_TEAM, DATA_TEAM = 5755579, 6631475, 7669831, 7669832
ORG_ADMIN_ROLE, DEVELOPER_ROLE = 580, 581
TEAM_DEVELOPER_ROLE, TEAM_VIEWER_ROLE = 626, 627
ENV_ADMIN_ROLE, DEFAULT_USER_ROLE = 575, 576
