"""SIECLE people's initial passwords in the users step, and their sheets in the report step."""

from __future__ import annotations

from datetime import UTC, datetime

from elea.credentials.chunk_passwords import ChunkPasswordIssuer, read_sheet_fragment, sheet_fragment_key
from elea.credentials.local_passwords import PasswordRenewal
from elea.credentials.sheets_publisher import LoginSheetsPublisher
from elea.establishments.academy import AcademySettings
from elea.establishments.establishment import new_establishment
from elea.logic.import_chunk import import_chunk
from elea.logic.staging_layout import StagedImport, staging_prefix
from elea.models.outcome import Outcome
from elea.models.parse_manifest import ChunkRef
from elea.models.person import Person
from elea.models.policy import ImportPolicy
from elea.models.step_inputs import ChunkRequest
from tests.fakes.cheap_hashing import cheap_hashing
from tests.fakes.memory_establishments import InMemoryEstablishmentStore
from tests.fakes.memory_platform import InMemoryPlatform
from tests.fakes.memory_report_files import InMemoryReportFiles
from tests.fakes.memory_staging import InMemoryStagingStore
from tests.fakes.memory_user_passwords import InMemoryUserPasswordStore
from tests.unit.logic.builders import UAI, person

PREFIX = staging_prefix(UAI, "imp-1")


class Chain:
    def __init__(self, renewal: PasswordRenewal = PasswordRenewal.KEEP_EXISTING) -> None:
        self.platform = InMemoryPlatform()
        self.staging = InMemoryStagingStore()
        self.passwords = InMemoryUserPasswordStore()
        self.hashing = cheap_hashing()
        self.renewal = renewal

    def run_chunk(self, people: list[Person], *, index: int = 0, prefix: str = PREFIX) -> list[Outcome]:
        staged = StagedImport(self.staging, prefix)
        staged.write_people(staged.people_key(index), people)
        request = ChunkRequest(
            import_id="imp-1",
            uai=UAI,
            staging_prefix=prefix,
            chunk=ChunkRef(index=index, key=staged.people_key(index), people=len(people)),
        )
        issuer = ChunkPasswordIssuer(
            passwords=self.passwords, hashing=self.hashing, staging=self.staging, renewal=self.renewal
        )
        import_chunk(request, store=self.staging, platform=self.platform, policy=ImportPolicy(), passwords=issuer)
        return [o.outcome for o in staged.read_outcomes(staged.outcomes_key(index)) or []]


SIECLE = [person(f"siecle:{n}", login=None, last_name=f"Nom{n}", classes=("6A",)) for n in range(3)]
ENT = [person("ent-1")]


def test_new_siecle_accounts_get_a_staged_password_and_only_a_hash_is_stored() -> None:
    chain = Chain()
    chain.run_chunk([*SIECLE, *ENT])
    rows = read_sheet_fragment(chain.staging, sheet_fragment_key(PREFIX, 0))
    # THEN only the SIECLE people (no ENT sign-on) have a password, under their platform username
    assert rows is not None
    assert len(rows) == 3
    usernames = {a.username for a in chain.platform.accounts(UAI) if a.ent_id and a.ent_id.startswith("siecle:")}
    assert {r.username for r in rows} == usernames
    stored = chain.passwords.hashes[UAI]
    assert set(stored) == usernames
    assert all(chain.hashing.verify(stored[r.username], r.password) for r in rows)


def test_a_retried_chunk_reuses_the_staged_passwords() -> None:
    chain = Chain()
    chain.run_chunk(SIECLE)
    first = read_sheet_fragment(chain.staging, sheet_fragment_key(PREFIX, 0))
    # GIVEN the attempt's outcomes were lost (a crash before they were written)
    chain.staging.delete([StagedImport(chain.staging, PREFIX).outcomes_key(0)])
    chain.run_chunk(SIECLE)
    # THEN the same passwords stand: nobody got a password that no sheet shows
    assert read_sheet_fragment(chain.staging, sheet_fragment_key(PREFIX, 0)) == first
    assert all(chain.hashing.verify(chain.passwords.hashes[UAI][r.username], r.password) for r in first or [])


def test_a_reimport_keeps_passwords_by_default_and_gives_newcomers_one() -> None:
    chain = Chain()
    chain.run_chunk(SIECLE)
    later = [*SIECLE, person("siecle:9", login=None, last_name="Nouveau", classes=("6B",))]
    outcomes = chain.run_chunk(later, prefix=staging_prefix(UAI, "imp-2"))
    assert outcomes == [Outcome.UNCHANGED] * 3 + [Outcome.CREATED]
    rows = read_sheet_fragment(chain.staging, sheet_fragment_key(staging_prefix(UAI, "imp-2"), 0))
    assert rows is not None
    assert [r.last_name for r in rows] == ["Nouveau"]


def test_regenerate_gives_every_kept_siecle_account_a_new_password() -> None:
    chain = Chain(PasswordRenewal.REGENERATE)
    chain.run_chunk(SIECLE)
    before = dict(chain.passwords.hashes[UAI])
    chain.run_chunk(SIECLE, prefix=staging_prefix(UAI, "imp-2"))
    rows = read_sheet_fragment(chain.staging, sheet_fragment_key(staging_prefix(UAI, "imp-2"), 0))
    assert rows is not None
    assert len(rows) == 3
    assert all(chain.passwords.hashes[UAI][u] != before[u] for u in before)


def test_the_report_step_turns_fragments_into_the_sheets_beside_the_report() -> None:
    chain = Chain()
    chain.run_chunk(SIECLE[:2], index=0)
    chain.run_chunk(SIECLE[2:], index=1)
    files, establishments = InMemoryReportFiles(), InMemoryEstablishmentStore()
    establishments.put(new_establishment(uai=UAI, name="Collège Voltaire", department="77", basin="3"))
    publisher = LoginSheetsPublisher(
        staging=chain.staging,
        files=files,
        establishments=establishments,
        academy=AcademySettings(activation_page_url="https://auth.example/activation"),
        now=lambda: datetime(2026, 9, 2, tzinfo=UTC),
    )
    published = publisher.publish(uai=UAI, import_id="imp-1", staging_prefix=PREFIX, chunk_indexes=[0, 1])
    assert published is not None
    assert published.count == 3
    html = files.files[published.html_key][0].decode()
    assert "Collège Voltaire" in html
    assert "https://idf-77-3.elea.apps.education.fr/" in html
    assert html.count('class="card"') == 3
    # AND once the staging is gone (a retried report step), the sheets already written stay as they are
    chain.staging.delete_prefix(PREFIX)
    assert publisher.publish(uai=UAI, import_id="imp-1", staging_prefix=PREFIX, chunk_indexes=[0, 1]) is None
