"""LinkedIn organizations: an OAuth token (``LINKEDIN_ACCESS_TOKEN``) of a member with an
admin role on the company's page (``rw_organization_admin`` / ``r_organization_social``).

Endpoints (learn.microsoft.com/linkedin, versioned API with the ``LinkedIn-Version: YYYYMM``
and ``X-Restli-Protocol-Version: 2.0.0`` headers): ``/rest/organizations?q=vanityName``
(the organization's numeric id from its page name) and
``/rest/networkSizes/urn:li:organization:N?edgeType=COMPANY_FOLLOWED_BY_MEMBER``
(``firstDegreeSize``, the follower count).

Only follower counts: LinkedIn's post and comment APIs are restricted to the page's own
admins and partner programs, and members' (employees') follower counts are not offered
at all; those accounts are skipped with a note. Follower history and posts can be
imported from LinkedIn's page analytics exports (``python -m connectors import``).
"""

from __future__ import annotations

import urllib.parse

from connectors.http import NotFound
from connectors.platforms import Account, AccountData, Connector, Window, to_int

DEFAULT_BASE_URL = "https://api.linkedin.com"
API_VERSION = "202510"


class LinkedInConnector(Connector):
    platform = "linkedin"
    credential_name = "LINKEDIN_ACCESS_TOKEN"
    default_base_url = DEFAULT_BASE_URL
    concurrency = 2
    PHASES = 1

    def client_options(self) -> dict:
        token = self.settings.credential
        return {
            "headers": {"Authorization": f"Bearer {token}", "LinkedIn-Version": API_VERSION,
                        "X-Restli-Protocol-Version": "2.0.0"},
            "secrets": [token],
        }

    def pull(self, account: Account, window: Window, state: dict, progress) -> AccountData:
        if not account.official:
            data = AccountData(self_id=account.bare_handle, followers=None, skipped=True)
            data.notes.append("LinkedIn offers no follower count for members' own profiles")
            progress("member profile: skipped")
            return data
        client = self.client(account)
        org_id = state.get("platform_user_id")
        handle = account.bare_handle
        if not org_id:
            if handle.isdigit():
                org_id = handle
            else:
                body, _ = client.get("/rest/organizations", {"q": "vanityName", "vanityName": handle})
                elements = (body or {}).get("elements") or []
                if not elements:
                    raise NotFound(f"linkedin: no organization with the page name {handle}")
                org_id = str(elements[0]["id"])
        urn = urllib.parse.quote(f"urn:li:organization:{org_id}", safe="")
        body, _ = client.get(f"/rest/networkSizes/{urn}", {"edgeType": "COMPANY_FOLLOWED_BY_MEMBER"})
        followers = to_int((body or {}).get("firstDegreeSize"), None)
        progress(f"{followers:,} followers" if followers is not None else "followers hidden")
        return AccountData(self_id=str(org_id), followers=followers, state={"platform_user_id": str(org_id)})


CONNECTOR = LinkedInConnector
