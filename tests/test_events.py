"""Table-driven tests of the coder (events, roles, aux modes, signals) per language.

Every sentence here is written for these tests. Each row: (lang, text, expected)
where expected lists (event, mode, actor codes, recipient codes, aux modes) of
the records the coder must produce, in any order; other records may appear
only when ``exact`` is set.
"""

from __future__ import annotations

import datetime as dt

import pytest

from pantau.document import Article
from pantau.pipeline import code_article

AUX = {"negation", "hypothetical", "future", "historical"}


def code(lang: str, text: str, published: str = "2022-01-08") -> list[dict]:
    article = Article(id="t", text=text, lang=lang, published=dt.date.fromisoformat(published))
    return code_article(article)


def summary(record: dict) -> tuple:
    return (
        record["event"][0],
        (record["mode"] or [None])[0],
        tuple(sorted(e["code"] or "-" for e in record["actor"])),
        tuple(sorted(e["code"] or "-" for e in record["recipient"])),
        tuple(sorted(c for c in record["context"] if c in AUX)),
    )


CASES = [
    # Indonesian
    (
        "id",
        "Kementerian Luar Negeri Rusia mengecam sanksi baru Uni Eropa.",
        ("ACCUSE", "disapprove", ("RUS",), ("EUR",), ()),
    ),
    (
        "id",
        "Pemerintah Amerika Serikat mengizinkan staf kedutaan dan keluarganya meninggalkan "
        "Kazakhstan.",
        ("SANCTION", "withdraw", ("USA",), ("KAZ",), ()),
    ),
    (
        "id",
        "Kedutaan Besar Jepang mempertimbangkan evakuasi seluruh stafnya dari Sudan.",
        ("SANCTION", "withdraw", ("JPN",), ("SDN",), ("hypothetical",)),
    ),
    (
        "id",
        "Polisi Hong Kong menembakkan gas air mata ke arah demonstran di Causeway Bay.",
        ("ASSAULT", "crowd-control", ("HKG",), ("HKG",), ()),
    ),
    (
        "id",
        "Ribuan warga Sudan berunjuk rasa di Khartoum menuntut pemerintahan sipil.",
        ("PROTEST", "demo", ("SDN",), (), ()),
    ),
    (
        "id",
        "Presiden Joko Widodo bertemu dengan Perdana Menteri Malaysia di Bogor.",
        ("CONSULT", None, ("IDN", "MYS"), (), ()),
    ),
    (
        "id",
        "Pemerintah Iran tidak akan menarik diplomatnya dari Irak.",
        ("SANCTION", "withdraw", ("IRN",), ("IRQ",), ("negation",)),
    ),
    (
        "id",
        "Pemerintah Kazakhstan memberlakukan jam malam di Almaty.",
        ("COERCE", "curfew", ("KAZ",), (), ()),
    ),
    (
        "id",
        "Pemadaman internet terjadi di seluruh Myanmar sejak Senin.",
        ("COERCE", "withhold", ("MMR",), (), ()),
    ),
    (
        "id",
        "Arab Saudi mendesak Iran menghentikan dukungan bagi milisi di Yaman.",
        ("REQUEST", None, ("SAU",), ("IRN",), ()),
    ),
    # English
    (
        "en",
        "Russia condemned the new European Union sanctions on Monday.",
        ("ACCUSE", "disapprove", ("RUS",), ("EUR",), ()),
    ),
    (
        "en",
        "The US State Department authorized the departure of non-emergency staff from Khartoum.",
        ("SANCTION", "withdraw", ("USA",), ("SDN",), ()),
    ),
    (
        "en",
        "Japan is considering evacuating its embassy staff from Sudan.",
        ("SANCTION", "withdraw", ("JPN",), ("SDN",), ("hypothetical",)),
    ),
    (
        "en",
        "Kenyan police fired tear gas at protesters in Nairobi.",
        ("ASSAULT", "crowd-control", ("KEN",), ("KEN",), ()),
    ),
    (
        "en",
        "Thousands of people protested in Tbilisi against the new law.",
        ("PROTEST", "demo", ("GEO",), (), ()),
    ),
    (
        "en",
        "The Sudanese army declared a state of emergency in Khartoum.",
        ("COERCE", "restrict", ("SDN",), (), ()),
    ),
    (
        "en",
        "France will not withdraw its diplomats from Niger.",
        ("SANCTION", "withdraw", ("FRA",), ("NER",), ("negation",)),
    ),
    (
        "en",
        "The attack was condemned by members of the European Union.",
        ("ACCUSE", "disapprove", ("EUR",), (), ()),
    ),
    (
        "en",
        "The Sudanese army signed a ceasefire agreement with the Rapid Support Forces.",
        ("AGREE", None, ("SDN", "SDN"), (), ()),
    ),
    (
        "id",
        "Pemerintah Sudan menandatangani perjanjian gencatan senjata dengan RSF di Jeddah.",
        ("AGREE", None, ("SDN", "SDN"), (), ()),
    ),
    # the subject is the clause's first actor, not one a preposition governs
    (
        "id",
        "Trump dalam percakapan telepon dengan Raja Salman mengutuk serangan terhadap kilang.",
        ("ACCUSE", "disapprove", ("USA",), (), ()),
    ),
    # a coordinated verb shares the subject of the previous one
    (
        "id",
        "Pejabat senior AS mendesak pemimpin Kazakhstan menahan diri, sambil mempertanyakan "
        "keputusan pemerintah Kazakhstan.",
        ("ACCUSE", "disapprove", ("USA",), ("KAZ",), ()),
    ),
    # who must be held responsible is the one accused, the main subject accuses
    (
        "id",
        "Amerika Serikat dan Inggris sepakat bahwa Iran harus bertanggung jawab atas serangan itu.",
        ("ACCUSE", "allege", ("USA",), ("IRN",), ()),
    ),
    # a quoted accusation or threat is the speaker's, against whom the quote names
    (
        "en",
        '"Tehran transports weapons to armed groups in Yemen," according to a statement by the '
        "United States.",
        ("ACCUSE", "allege", ("USA",), ("IRN",), ()),
    ),
    (
        "id",
        '"Iran mendalangi serangan terhadap kapal kami," kata Arab Saudi.',
        ("ACCUSE", "allege", ("SAU",), ("IRN",), ()),
    ),
    # "X says the attack was sponsored by Y": X accuses Y
    (
        "id",
        "Riyadh menyatakan serangan ke kilangnya disponsori oleh Teheran.",
        ("ACCUSE", "allege", ("SAU",), ("IRN",), ()),
    ),
    # ... but an accusation verb inside the quote keeps its own named subject
    (
        "id",
        '"Iran menuduh kami tanpa bukti," kata Arab Saudi.',
        ("ACCUSE", "allege", ("IRN",), (), ()),
    ),
    # a list's commas do not cut the compound subject; the object can be compound too
    (
        "en",
        "Chile, Peru, Bolivia and Ecuador condemned Venezuela and Cuba on Monday.",
        ("ACCUSE", "disapprove", ("BOL", "CHL", "ECU", "PER"), ("CUB", "VEN"), ()),
    ),
    # an event noun takes its clause subject only after a light verb ("melancarkan
    # serangan"); behind an accusation it is nobody's named act
    (
        "id",
        "Houthi melancarkan serangan drone terhadap kilang minyak Arab Saudi.",
        ("ASSAULT", "drone", ("YEM",), ("SAU",), ()),
    ),
    (
        "id",
        "Menurut pejabat AS, Iran ada di balik serangan pekan lalu atas kilang minyak Arab Saudi.",
        ("ASSAULT", None, (), ("SAU",), ()),
    ),
    # "X said Y must ..." is a demand on Y; lifting a blockade gives access
    (
        "en",
        "France insisted that Mali must hold elections before the end of the year.",
        ("REQUEST", None, ("FRA",), ("MLI",), ()),
    ),
    (
        "id",
        "Prancis mengatakan Mali harus menggelar pemilu tahun ini.",
        ("REQUEST", None, ("FRA",), ("MLI",), ()),
    ),
    (
        "en",
        "Turkey lifted the blockade on the Armenian border.",
        ("RETREAT", "access", ("TUR",), ("ARM",), ()),
    ),
    # after an active verb the actor mention is its object, not the act's owner
    (
        "id",
        "Para demonstran di Hong Kong menyerang kantor polisi.",
        ("ASSAULT", None, ("HKG",), ("HKG",), ()),
    ),
    # an act promised "unless" the other side moves is a threat; the condition is hypothetical
    (
        "en",
        "Ghana said it would boycott the summit unless Togo released the activists.",
        ("THREATEN", None, ("GHA",), ("TGO",), ()),
    ),
    (
        "en",
        "Ghana said it would boycott the summit unless Togo released the activists.",
        ("RETREAT", "release", ("TGO",), ("GHA",), ("hypothetical",)),
    ),
    # a promise to act is AGREE (PLOVER), and the act promised is not coded besides it
    (
        "en",
        "Norway will provide Kenya with two million dollars for schools.",
        ("AGREE", None, ("NOR",), ("KEN",), ()),
    ),
    (
        "id",
        "Jepang akan memberikan bantuan kemanusiaan kepada Sudan.",
        ("AGREE", None, ("JPN",), ("SDN",), ()),
    ),
    # conflict acts ACLED tells apart (Indonesian): grenades, arson, territory, weapons found
    (
        "id",
        "Granat meledak di pasar Poso dan melukai tiga orang.",
        ("ASSAULT", "explosives", ("IDN",), (), ()),
    ),
    (
        "id",
        "Massa membakar puluhan rumah di desa itu.",
        ("ASSAULT", "destroy", ("-",), (), ()),
    ),
    (
        "id",
        "Pemberontak merebut kota Goma dari tentara.",
        ("ASSAULT", None, ("COD",), ("COD",), ()),
    ),
    (
        "id",
        "Polisi menjinakkan bom rakitan yang ditemukan di depan gereja.",
        ("COERCE", "seize", ("-",), (), ()),
    ),
    (
        "id",
        "Polisi menembakkan granat asap ke arah demonstran.",
        ("ASSAULT", "crowd-control", ("-",), ("-",), ()),
    ),
    # a plan told in the main clause is no cue for the act in an "after" clause
    (
        "id",
        "Rencana evakuasi disusun setelah Houthi menyerang pelabuhan Jizan.",
        ("ASSAULT", None, ("YEM",), (), ()),
    ),
    # an office of a state or province takes its country ("Texas Governor")
    (
        "en",
        "Texas Governor Greg Abbott declared a state of emergency on Friday.",
        ("COERCE", "restrict", ("USA",), (), ()),
    ),
    # what a draft law would allow has not happened
    (
        "id",
        "Warga menolak RUU ekstradisi yang diajukan pemerintah.",
        ("COOPERATE", None, ("-",), ("-",), ("hypothetical",)),
    ),
    # an anticipated riot is hypothetical
    (
        "id",
        "Sejumlah kantor di Bangkok diliburkan untuk mengantisipasi kerusuhan.",
        ("PROTEST", "riot", ("THA",), (), ("hypothetical",)),
    ),
    (
        "en",
        "Banks in Bangkok shut early in anticipation of riots.",
        ("PROTEST", "riot", ("THA",), (), ("hypothetical",)),
    ),
    # "at" before a country names a target, not a place
    (
        "en",
        "Iran launched a missile at Iraq late on Sunday.",
        ("ASSAULT", "heavy-weapons", ("IRN",), ("IRQ",), ()),
    ),
]


@pytest.mark.parametrize("lang,text,expected", CASES)
def test_coder_finds_event_with_roles(lang, text, expected):
    found = [summary(r) for r in code(lang, text)]
    assert expected in found, found


@pytest.mark.parametrize(
    "lang,text",
    [
        ("id", "Departemen Luar Negeri menolak mengomentari laporan tersebut."),
        ("id", "Kedutaan Besar AS terletak di Kota Nur-Sultan."),
        ("en", "The embassy is located in the capital."),
        ("en", "The spokesman declined to comment on the report."),
        ("id", "Gubernur itu tidak mengalami luka sedikit pun."),
        ("en", "Ten people were killed when an earthquake struck the coast on Monday."),
        ("id", "Banjir bandang menewaskan dua warga di Garut."),
        ("id", "Ledakan tabung elpiji merusak dua rumah di Bekasi."),
        ("id", "Pemerintah menaikkan pajak bahan bakar kendaraan bermotor."),
        ("id", "Dana itu hanya dipakai untuk keperluan mendesak."),
        ("en", "A gas leak caused an explosion at the factory."),
        ("en", "The Court of Appeals for the Third Circuit heard the case."),
        ("id", "Petugas menembak seekor harimau yang masuk ke kampung."),
        ("id", "Dokumen tersebut merupakan kesepakatan lama antara kedua kerajaan."),
    ],
)
def test_quiet_sentences_give_no_events(lang, text):
    assert code(lang, text) == []


def test_repeats_merge_into_one_record_dated_by_the_mention_that_dates_it():
    text = (
        "Jepang mempertimbangkan evakuasi stafnya dari Sudan.\n\n"
        "Pada Rabu (5/1), pejabat Jepang membahas kemungkinan mengevakuasi staf kedutaan."
    )
    records = [r for r in code("id", text) if r["event"] == ["SANCTION"]]
    assert len(records) == 1
    assert records[0]["date"] == "2022-01-05"
    assert records[0]["signals"] == ["mission.evacuation_considered"]


def test_an_undated_sentence_takes_the_day_the_story_is_at():
    text = (
        "Police fired tear gas at protesters in Almaty on Wednesday.\n\n"
        "Protesters set fire to the mayor's office.\n\n"
        "In 2015, protesters had occupied the same square on 3 March.\n\n"
        "Demonstrators gathered outside the parliament."
    )
    records = code("en", text, published="2022-01-08")
    by_text = {r["sentence"][:12]: r for r in records}
    assert by_text["Police fired"]["date"] == "2022-01-05"
    set_fire = by_text["Protesters s"]
    assert set_fire["date"] == "2022-01-05" and set_fire["date_text"] == "Wednesday"
    assert "historical" not in set_fire["context"]
    # a background date (older than two weeks) dates nothing after it
    assert by_text["Demonstrator"]["date"] == "2022-01-05"


def test_a_definite_mention_refers_back_to_the_event_told_before():
    text = (
        "Houthi rebels attacked two oil plants in Abqaiq on Saturday.\n\n"
        "The United States blamed Iran for the attacks."
    )
    records = code("en", text)
    assert [r["event"][0] for r in records].count("ASSAULT") == 1
    accuse = [r for r in records if r["event"] == ["ACCUSE"]]
    assert accuse and accuse[0]["actor"][0]["code"] == "USA"


def test_an_agentless_passive_merges_with_the_claim_that_names_the_attacker():
    text = (
        "Two oil plants in Abqaiq were hit by drone strikes on Saturday.\n\n"
        "Houthi rebels in Yemen claimed responsibility for the drone attacks."
    )
    assaults = [r for r in code("en", text, "2019-09-15") if r["event"] == ["ASSAULT"]]
    assert len(assaults) == 1
    assert [a["code"] for a in assaults[0]["actor"]] == ["YEM"]
    assert "were hit by drone strikes" in assaults[0]["sentence"]


@pytest.mark.parametrize(
    "lang,text",
    [
        ("id", "Presiden Prancis mengutuk serangan terhadap kilang minyak di Abqaiq."),
        ("en", "The French president condemned the attack on the oil plant in Abqaiq."),
    ],
)
def test_an_attack_someone_condemns_is_not_theirs(lang, text):
    records = code(lang, text, "2019-09-15")
    accuse = [r for r in records if r["event"] == ["ACCUSE"]]
    assault = [r for r in records if r["event"] == ["ASSAULT"]]
    assert accuse and accuse[0]["actor"][0]["code"] == "FRA"
    assert assault and all(a["code"] != "FRA" for a in assault[0]["actor"])


def test_record_carries_provenance():
    text = "Polisi Kenya menangkap 40 pengunjuk rasa di Nairobi pada Jumat (7/1)."
    [record] = [r for r in code("id", text) if r["event"] == ["COERCE"]]
    start, end = record["text_info"]["start"], record["text_info"]["end"]
    assert text[start:end] == record["sentence"]
    assert record["event_text"] in record["sentence"]
    assert record["coder"].startswith("pantau ") and "rule:id/" in record["coder"]
    assert record["arrested"] == 40
    assert record["date"] == "2022-01-07" and record["date_precision"] == "day"
    assert record["event_loc"]["name"] == "Nairobi" and record["event_loc"]["country"] == "KEN"
    assert "unrest.crackdown" in record["signals"] and "unrest.mass_arrests" in record["signals"]
    again = [r for r in code("id", text) if r["event"] == ["COERCE"]]
    assert record["id"].startswith("evt-") and again[0]["id"] == record["id"]  # stable ids


# fmt: off
@pytest.mark.parametrize("lang,text,signal,present", [
    ("id", "KBRI Kairo menaikkan status siaga menjadi Siaga II.", "mission.security_increased",
     True),
    ("id", "Kedutaan mengimbau para mahasiswa Indonesia agar waspada dan tidak bepergian.",
     "advisory.issued", True),
    ("id", "WFP menghentikan sementara seluruh operasinya di Yaman.",
     "mission.reduced_operations", True),
    ("id", "Tentara menghentikan operasi militer di perbatasan.", "mission.reduced_operations",
     False),
    ("id", "Sedikitnya 20 orang tewas di Khartoum, kata dokter.", "unrest.casualties", True),
    ("id", "Lima orang tewas dalam kecelakaan bus di Bandung.", "unrest.casualties", False),
    ("id", "Dua pedagang mengalami luka-luka terkena peluru nyasar di pasar.", "unrest.casualties",
     True),
    ("id", "Puluhan orang tewas ketika kerumunan berdesakan di pasar.", "unrest.casualties",
     False),
    ("en", "The embassy advised citizens to stay indoors.", "advisory.issued", True),
    ("en", "The embassy urged citizens to register with the consulate.", "advisory.issued", True),
    ("id", "Warga yang belum mendaftar diminta melapor ke kedutaan.", "advisory.issued", True),
    ("en", "The agency halted all operations in the country.", "mission.reduced_operations",
     True),
    ("en", "The mission relocated its diplomats to a safer area of the capital.",
     "mission.security_increased", True),
    ("en", "By Sunday about 300 Italian nationals had been flown out.",
     "mission.ordered_departure", True),
    # an evacuation not safe to organise, or agreed to be facilitated, has not happened
    ("en", "Officials said conditions were not safe enough to evacuate the staff.",
     "mission.ordered_departure", False),
    ("en", "The junta agreed to help with evacuating foreign diplomats.",
     "mission.ordered_departure", False),
    ("id", "Jerman menerbangkan warganya pulang dengan pesawat angkatan udara.",
     "mission.ordered_departure", True),
])
# fmt: on
def test_monitor_signals(lang: str, text: str, signal: str, present: bool) -> None:
    signals = {s for r in code(lang, text) for s in r["signals"]}
    assert (signal in signals) is present, signals


def test_a_promise_is_coded_once() -> None:
    text = "Norway will provide Kenya with two million dollars for schools."
    found = [summary(r) for r in code("en", text)]
    assert [f[0] for f in found] == ["AGREE"], found
