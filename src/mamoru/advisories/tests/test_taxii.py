"""The TAXII 2.1 server, driven by the OASIS client (``taxii2-client``) against the live
server: discovery, the API root, the collection, objects with filters and paging, one
object and its versions, the manifest — each token reading only its organisation's
advisories — and the protocol's refusals (no token, wrong Accept, writes, unknown ids)."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from taxii2client.v21 import ApiRoot, Collection, Server, as_pages

from mamoru.accounts.models import User
from mamoru.advisories.api.taxii import COLLECTION_ID
from mamoru.advisories.models import Advisory
from mamoru.advisories.testing import publish
from mamoru.orgs.principal import System
from mamoru.orgs.selectors import organisation_by_code
from mamoru.orgs.services import api_token_create
from mamoru.progress.testing import principal
from mamoru.testing import CHIYODA, HACHIOJI, OSAKA_CITY, Cast

TAXII = "application/taxii+json;version=2.1"


class Bearer(requests.auth.AuthBase):
    def __init__(self, token: str) -> None:
        self.token = token

    def __call__(self, request: Any) -> Any:
        request.headers["Authorization"] = f"Bearer {self.token}"
        return request


def token_of(user: User, code: str) -> Bearer:
    _, plaintext = api_token_create(
        principal=System("test set-up"),
        user=user,
        organisation=organisation_by_code(code=code),
        name="taxii",
    )
    return Bearer(plaintext)


@pytest.fixture
def published(people: Cast) -> list[Advisory]:
    nation = principal(people.nation)
    return [
        publish(nation, codes=(CHIYODA, HACHIOJI)),
        publish(nation, codes=(CHIYODA,), title="メールサーバの設定不備について", cves=()),
    ]


def collection_url(live_server: Any) -> str:
    return f"{live_server.url}/taxii2/advisories/collections/{COLLECTION_ID}/"


@pytest.mark.django_db(transaction=True)
def test_discovery_api_root_and_collection(
    live_server: Any, people: Cast, published: list[Advisory]
) -> None:
    auth = token_of(people.chiyoda, CHIYODA)
    server = Server(f"{live_server.url}/taxii2/", auth=auth)
    assert server.title == "mamoru TAXII 2.1"
    (root,) = server.api_roots
    assert server.default.url == root.url
    assert root.versions == [TAXII]
    assert root.max_content_length > 0
    (collection,) = root.collections
    assert collection.id == COLLECTION_ID
    assert collection.can_read
    assert not collection.can_write
    assert collection.media_types == ["application/stix+json;version=2.1"]


@pytest.mark.django_db(transaction=True)
def test_objects_are_what_the_organisation_may_read(
    live_server: Any, people: Cast, published: list[Advisory]
) -> None:
    chiyoda = Collection(collection_url(live_server), auth=token_of(people.chiyoda, CHIYODA))
    reports = chiyoda.get_objects(type="report")["objects"]
    assert {r["name"] for r in reports} == {a.title for a in published}
    hachioji = Collection(collection_url(live_server), auth=token_of(people.hachioji, HACHIOJI))
    assert [r["name"] for r in hachioji.get_objects(type="report")["objects"]] == [
        published[0].title
    ]
    osaka = Collection(collection_url(live_server), auth=token_of(people.osaka_city, OSAKA_CITY))
    assert osaka.get_objects() == {"more": False}
    nation = Collection(collection_url(live_server), auth=token_of(people.nation, "MIC"))
    assert len(nation.get_objects(type="report")["objects"]) == 2  # the sender


@pytest.mark.django_db(transaction=True)
def test_filters_paging_one_object_versions_and_manifest(
    live_server: Any, people: Cast, published: list[Advisory]
) -> None:
    collection = Collection(collection_url(live_server), auth=token_of(people.chiyoda, CHIYODA))
    everything = collection.get_objects()["objects"]
    pages = list(as_pages(collection.get_objects, per_request=3))
    assert [o["id"] for p in pages for o in p.get("objects", [])] == [o["id"] for o in everything]
    assert len(pages) == -(-len(everything) // 3)
    first = published[0]
    envelope = collection.get_object(first.stix_id)
    assert [o["id"] for o in envelope["objects"]] == [first.stix_id]
    versions = collection.object_versions(first.stix_id)["versions"]
    assert versions == [envelope["objects"][0]["modified"]]
    assert collection.get_objects(id=first.stix_id, version=versions[0])["objects"]
    manifest = collection.get_manifest(type="vulnerability")["objects"]
    assert [m["media_type"] for m in manifest] == ["application/stix+json;version=2.1"]
    later = collection.get_manifest()["objects"][-1]["date_added"]
    assert collection.get_objects(added_after=later) == {"more": False}


@pytest.mark.django_db(transaction=True)
def test_the_protocols_refusals(live_server: Any, people: Cast, published: list[Advisory]) -> None:
    auth = token_of(people.chiyoda, CHIYODA)
    url = collection_url(live_server)
    anonymous = requests.get(url + "objects/", headers={"Accept": TAXII}, timeout=10)
    assert anonymous.status_code == 401
    assert anonymous.headers["Content-Type"] == TAXII
    assert anonymous.json()["http_status"] == "401"
    wrong_accept = requests.get(url, headers={"Accept": "text/html"}, auth=auth, timeout=10)
    assert wrong_accept.status_code == 406
    write = requests.post(
        url + "objects/", json={"objects": []}, headers={"Accept": TAXII}, auth=auth, timeout=10
    )
    assert write.status_code == 405
    unknown = requests.get(
        f"{live_server.url}/taxii2/advisories/collections/no-such/",
        headers={"Accept": TAXII},
        auth=auth,
        timeout=10,
    )
    assert unknown.status_code == 404
    assert unknown.json()["title"] == "Not Found"
    hidden = requests.get(
        url + f"objects/{published[1].stix_id}/",
        headers={"Accept": TAXII},
        auth=token_of(people.hachioji, HACHIOJI),
        timeout=10,
    )
    assert hidden.status_code == 404
    bad_filter = requests.get(
        url + "objects/?added_after=yesterday", headers={"Accept": TAXII}, auth=auth, timeout=10
    )
    assert bad_filter.status_code == 400
    assert ApiRoot(f"{live_server.url}/taxii2/advisories/", auth=auth).title == "mamoru advisories"
