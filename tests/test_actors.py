"""Tests for stage 5 (pantau.actors): actor and outlet spans, codes, sectors, coreference.

Expected actors are written "text=CODE/SECTOR" ("-" for none), joined by " | ".
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import helpers
import pytest

from pantau import plover
from pantau.actor_lexicon import office_holders
from pantau.actors import find_actors
from pantau.countries import alpha3_to_alpha2
from pantau.document import Article, Document, Span

SHARED = Path("/work/shared")
SEED = SHARED / "seed" / "000_cda4aed057f12952.txt"
CLICKID = SHARED / "corpora" / "id-clickid-2019-politik-intl" / "articles.jsonl"


def make_doc(
    text: str, lang: str, published: dt.date | None = dt.date(2019, 9, 16), **kw: str
) -> Document:
    """:func:`helpers.make_doc`, published on the day the CLICK-ID articles were."""
    return helpers.make_doc(text, lang, published, **kw)


def actors(doc: Document) -> str:
    spans = sorted((s for s in doc.spans if s.kind == "actor"), key=lambda s: s.start)
    return " | ".join(f"{s.text}={s.data['code'] or '-'}/{s.data['sector'] or '-'}" for s in spans)


def span(doc: Document, text: str) -> Span:
    return next(s for s in doc.spans if s.text == text)


# fmt: off
@pytest.mark.parametrize("lang,text,expected", [
    # countries and aliases; "(AS)" belongs to the mention it abbreviates
    ("id", "Amerika Serikat (AS) menutup kedutaannya.", "Amerika Serikat (AS)=USA/-"),
    ("id", "Negeri Paman Sam dan Negeri Tirai Bambu berunding lagi.",
     "Negeri Paman Sam=USA/- | Negeri Tirai Bambu=CHN/-"),
    ("id", "Inggris, Korsel dan Korut menolak usul RI.",
     "Inggris=GBR/- | Korsel=KOR/- | Korut=PRK/- | RI=IDN/-"),
    # short all-capital aliases match only as written; fixed phrases are not countries
    ("id", "Roda as itu patah.", ""),
    ("en", "Officials said it was not about us or them.", "Officials=-/GOV"),
    ("id", "Ia belajar bahasa Inggris di Amerika Latin.", ""),
    # agent + country: Indonesian puts the agent first, English the country
    ("id", "Polisi Kazakhstan menangkap 20 orang.", "Polisi Kazakhstan=KAZ/COP"),
    ("en", "Kazakh police detained 20 people.", "Kazakh police=KAZ/COP"),
    ("id", "Pejabat senior AS bertemu pasukan Rusia.",
     "Pejabat senior AS=USA/GOV | pasukan Rusia=RUS/MIL"),
    ("en", "Russian troops and US officials met.", "Russian troops=RUS/MIL | US officials=USA/GOV"),
    ("id", "Kedutaan Besar AS mengimbau warga AS agar tetap di rumah.",
     "Kedutaan Besar AS=USA/GOV | warga AS=USA/CVL"),
    ("en", "US citizens should leave, the US embassy said.",
     "US citizens=USA/CVL | US embassy=USA/GOV"),
    ("id", "Departemen Luar Negeri AS mengecam Negeri Beruang Merah.",
     "Departemen Luar Negeri AS=USA/GOV | Negeri Beruang Merah=RUS/-"),
    ("en", "The State Department warned Americans.",
     "State Department=USA/GOV | Americans=USA/CVL"),
    ("id", "KBRI Kabul berkoordinasi dengan Kemlu RI.", "KBRI Kabul=IDN/GOV | Kemlu RI=IDN/GOV"),
    ("en", "The government of Syria and Assad's government agreed.",
     "government of Syria=SYR/GOV | Assad's government=SYR/GOV"),
    ("en", "US-backed SDF fighters withdrew.", "US=USA/- | SDF fighters=SYR/REB"),
    # the head noun decides the sector; a named group outranks it
    ("id", "Pasukan pemerintah menyerang pemberontak di Idlib, Suriah.",
     "Pasukan pemerintah=SYR/MIL | pemberontak=SYR/REB | Suriah=SYR/-"),
    ("en", "Syrian government forces entered Tell Tamer.", "Syrian government forces=SYR/MIL"),
    ("id", "Juru bicara militer Houthi mengklaim serangan itu.",
     "Juru bicara militer Houthi=YEM/REB"),
    ("id", "Pengadilan Turki memenjarakan wartawan oposisi.",
     "Pengadilan Turki=TUR/JUD | wartawan oposisi=TUR/JRN"),
    ("id", "DPR dan Polri membahas RUU itu.", "DPR=IDN/LEG | Polri=IDN/COP"),
    # organisations and armed groups
    ("id", "PBB dan Uni Eropa mendesak gencatan senjata.", "PBB=UNO/IGO | Uni Eropa=EUR/IGO"),
    ("en", "The UN, the EU and NATO met the Arab League.",
     "UN=UNO/IGO | EU=EUR/IGO | NATO=NATO/IGO | Arab League=ARL/IGO"),
    ("id", "Palang Merah Internasional dan OKI mengirim bantuan.",
     "Palang Merah Internasional=ICRC/NGO | OKI=OIC/IGO"),
    ("id", "Taliban dan NIIS bertempur, Hamas dan Hizbullah diam.",
     "Taliban=AFG/REB | NIIS=-/REB | Hamas=PSE/REB | Hizbullah=LBN/REB"),
    ("en", "Houthi rebels attacked; the Islamic State (IS) did not.",
     "Houthi rebels=YEM/REB | Islamic State (IS)=-/REB"),
    ("en", "The Rapid Support Forces (RSF) fought the army in Sudan.",
     "Rapid Support Forces (RSF)=SDN/REB | army=SDN/MIL | Sudan=SDN/-"),
    ("en", "Israel Defense Forces and Hamas fighters clashed near Gaza.",
     "Israel Defense Forces=ISR/MIL | Hamas fighters=PSE/REB"),
    ("id", "Pasukan Pertahanan Israel menyerang Jihad Islam.",
     "Pasukan Pertahanan Israel=ISR/MIL | Jihad Islam=PSE/REB"),
    ("id", "Densus 88 menangkap tiga terduga teroris JAD.",
     "Densus 88=IDN/COP | teroris JAD=IDN/REB"),
    ("en", "OPEC and the WTO met ICC officials.",
     "OPEC=OPEC/IGO | WTO=WTO/IGO | ICC officials=ICC/IGO"),
    ("id", "Mahkamah Pidana Internasional menyelidiki Tatmadaw.",
     "Mahkamah Pidana Internasional=ICC/IGO | Tatmadaw=MMR/MIL"),
    ("id", "LSM dan dokter Suriah mengecam serangan itu.", "LSM=SYR/NGO | dokter Suriah=SYR/MED"),
    # "from" joins like "of": where the people come from
    ("en", "Refugees from Syria and police from Jordan met.",
     "Refugees from Syria=SYR/REF | police from Jordan=JOR/COP"),
    # a capital in a hyphenated name is no title ("Sultan"); as a subject it is the government
    ("en", "Nur-Sultan rejected the claim, officials in Astana said.",
     "Nur-Sultan=KAZ/GOV | officials=KAZ/GOV"),
    ("id", "Demonstran berkumpul di Nur-Sultan.", "Demonstran=KAZ/CVL"),
    # bare agents take the focus country of the article
    ("id", "Demonstran bentrok dengan pasukan keamanan di Almaty, Kazakhstan.",
     "Demonstran=KAZ/CVL | pasukan keamanan=KAZ/COP | Kazakhstan=KAZ/-"),
    ("en", "Protesters clashed with security forces in Hong Kong.",
     "Protesters=HKG/CVL | security forces=HKG/COP | Hong Kong=HKG/-"),
    ("id", "Orang bersenjata tak dikenal menyerang pos polisi di Aden, Yaman.",
     "Orang bersenjata tak dikenal=YEM/UAF | polisi=YEM/COP | Yaman=YEM/-"),
    ("en", "Unknown gunmen attacked a checkpoint in Aden, Yemen.",
     "Unknown gunmen=YEM/UAF | Yemen=YEM/-"),
    ("id", "Milisi Kurdi menguasai kota itu di Suriah.", "Milisi Kurdi=SYR/REB | Suriah=SYR/-"),
    # capitals stand for governments, except as places
    ("id", "Ankara dan Moskow sepakat; Putin tiba di Moskow.",
     "Ankara=TUR/GOV | Moskow=RUS/GOV | Putin=RUS/GOV"),
    ("en", "Tehran denied it, officials in Tehran said.", "Tehran=IRN/GOV | officials=IRN/GOV"),
])
# fmt: on
def test_actor_spans(lang: str, text: str, expected: str) -> None:
    assert actors(find_actors(make_doc(text, lang))) == expected


# fmt: off
@pytest.mark.parametrize("lang,text,published,expected", [
    # a title and a name make one person; the name binds for the rest of the article
    ("id", "Menhan Kazakhstan Ruslan Zhaksylykov tiba Kamis. Zhaksylykov lalu bicara.",
     dt.date(2022, 1, 8), "Menhan Kazakhstan Ruslan Zhaksylykov=KAZ/GOV | Zhaksylykov=KAZ/GOV"),
    ("en", "Kazakhstan's Defence Minister Ruslan Zhaksylykov arrived. Zhaksylykov spoke.",
     dt.date(2022, 1, 8),
     "Kazakhstan's Defence Minister Ruslan Zhaksylykov=KAZ/GOV | Zhaksylykov=KAZ/GOV"),
    # known office holders are resolved against the publication date
    ("id", "Presiden Joko Widodo menerima Menlu Retno Marsudi.", dt.date(2019, 9, 16),
     "Presiden Joko Widodo=IDN/GOV | Menlu Retno Marsudi=IDN/GOV"),
    ("en", "Pompeo met Prabowo.", dt.date(2019, 11, 1), "Pompeo=USA/GOV | Prabowo=IDN/GOV"),
    # after every term a former official (ELI); before the first one no sector
    ("en", "Pompeo met Prabowo.", dt.date(2023, 1, 1), "Pompeo=USA/ELI | Prabowo=IDN/GOV"),
    ("id", "Trump menelepon Putin.", dt.date(2016, 6, 1), "Trump=USA/- | Putin=RUS/GOV"),
    ("id", "Trump menelepon Putin.", dt.date(2022, 6, 1), "Trump=USA/ELI | Putin=RUS/GOV"),
    ("en", "Blinken flew to meet Tokayev.", dt.date(2022, 1, 10),
     "Blinken=USA/GOV | Tokayev=KAZ/GOV"),
    ("id", "Jokowi dan Prabowo bertemu.", dt.date(2018, 3, 1), "Jokowi=IDN/GOV | Prabowo=IDN/-"),
    ("id", "Jokowi dan Prabowo bertemu.", dt.date(2025, 3, 1),
     "Jokowi=IDN/ELI | Prabowo=IDN/GOV"),
    # an armed group that became the government
    ("en", "The Taliban announced a cabinet.", dt.date(2019, 9, 7), "Taliban=AFG/REB"),
    ("en", "The Taliban announced a cabinet.", dt.date(2021, 9, 7), "Taliban=AFG/GOV"),
    ("id", "Paus Fransiskus bertemu Raja Salman.", dt.date(2019, 2, 4),
     "Paus Fransiskus=VAT/REL | Raja Salman=SAU/GOV"),
    # one person, several offices: the sector follows the office held that day
    ("en", "Pompeo spoke.", dt.date(2017, 6, 1), "Pompeo=USA/SPY"),
    ("en", "Hakan Fidan arrived.", dt.date(2024, 6, 1), "Hakan Fidan=TUR/GOV"),
    ("en", "Hakan Fidan arrived.", dt.date(2020, 6, 1), "Hakan Fidan=TUR/SPY"),
    # a common surname names the person only after the full name ("~Johnson" in the data)
    ("en", "Boris Johnson spoke. Later Johnson left.", dt.date(2020, 5, 1),
     "Boris Johnson=GBR/GOV | Johnson=GBR/GOV"),
    ("en", "Later Johnson left.", dt.date(2020, 5, 1), ""),
    ("id", "PM Li Qiang tiba. Li lalu bicara.", dt.date(2024, 5, 1),
     "PM Li Qiang=CHN/GOV | Li=CHN/GOV"),
    # a rank between a title and a name stays in the phrase
    ("id", "Panglima TNI Marsekal Hadi Tjahjanto hadir.", dt.date(2019, 1, 1),
     "Panglima TNI Marsekal Hadi Tjahjanto=IDN/MIL"),
    ("en", "Army chief General Kamal Idris resigned. Idris left.", dt.date(2019, 1, 1),
     "Army chief General Kamal Idris=-/MIL | Idris=-/MIL"),
])
# fmt: on
def test_people(lang: str, text: str, published: dt.date, expected: str) -> None:
    assert actors(find_actors(make_doc(text, lang, published))) == expected


# fmt: off
@pytest.mark.parametrize("lang,text,published,mention,holder", [
    # a title with its country names the holder of that day
    ("id", "Menlu AS tiba di Jakarta.", dt.date(2022, 1, 10), "Menlu AS", "Antony Blinken"),
    ("id", "Menlu AS tiba di Jakarta.", dt.date(2019, 1, 10), "Menlu AS", "Mike Pompeo"),
    ("en", "The US Secretary of State arrived.", dt.date(2017, 6, 1), "US Secretary of State",
     "Rex Tillerson"),
    ("en", "The British home secretary spoke.", dt.date(2020, 2, 1), "British home secretary",
     "Priti Patel"),
    # not for offices several people hold, nor with the country only from context
    ("id", "Juru bicara AS membantah.", dt.date(2022, 1, 10), "Juru bicara AS",
     "United States spokesperson"),
    ("id", "Amerika Serikat marah. Menlu itu tiba.", dt.date(2022, 1, 10), "Menlu",
     "United States foreign minister"),
])
# fmt: on
def test_title_names_the_office_holder(
    lang: str, text: str, published: dt.date, mention: str, holder: str
) -> None:
    doc = find_actors(make_doc(text, lang, published))
    assert span(doc, mention).data["identifier_text"] == holder


def test_office_holders_data() -> None:
    """Every row is well-formed and the issue's people resolve; heads of state or government
    of the ASEAN members and the most reported countries are known for 2015-2024."""
    entries = office_holders()
    assert len({(e.label, e.office, e.valid) for e in entries}) > 800
    codes = set(alpha3_to_alpha2()) | plover.igo_codes() | {"-"}
    for e in entries:
        assert e.code in codes and e.sector in plover.sectors(), e
        assert not (e.valid[0] and e.valid[1]) or e.valid[0] < e.valid[1], e
    heads = {"president", "prime minister", "king", "emir", "sultan", "chancellor",
             "supreme leader", "junta leader", "general secretary", "chief executive"}  # fmt: skip
    countries = ("IDN MYS SGP THA PHL VNM MMR KHM LAO BRN TLS USA RUS CHN GBR FRA DEU UKR ISR "
                 "PSE IRN IRQ SYR TUR SAU ARE QAT EGY JOR YEM AFG PAK IND BGD JPN KOR PRK TWN "
                 "HKG AUS NZL CAN MEX BRA ARG VEN ITA ESP POL BLR KAZ AZE ARM ETH KEN NGA ZAF "
                 "HUN NLD LKA COD SSD").split()  # fmt: skip
    assert len(countries) >= 60
    for code in countries:
        for year in range(2017, 2025):
            day = dt.date(year, 6, 1)
            assert any(e.code == code and e.office in heads and e.covers(day) for e in entries), (
                code, year)


def test_office_and_identifier() -> None:
    text = "Menteri Luar Negeri Kazakhstan Mukhtar Tileuberdi menerima Kedutaan Besar AS."
    doc = find_actors(make_doc(text, "id", dt.date(2022, 1, 7)))
    minister = span(doc, "Menteri Luar Negeri Kazakhstan Mukhtar Tileuberdi").data
    assert minister["office"] == "foreign minister"
    assert (minister["kind"], minister["identifier_text"]) == ("person", "Mukhtar Tileuberdi")
    embassy = span(doc, "Kedutaan Besar AS").data
    assert (embassy["identifier_text"], embassy["kind"]) == ("United States embassy", "agent")
    police = span(find_actors(make_doc("Kazakh police fired.", "en")), "Kazakh police").data
    assert police["identifier_text"] == "Kazakhstan police" and police["from_context"] is False


# fmt: off
@pytest.mark.parametrize("lang,text,expected", [
    ("id", "Otoritas AS mengatakan pihaknya menyetujui kepergian staf.",
     "Otoritas AS=USA/GOV | pihaknya=USA/GOV"),
    ("id", "Kazakhstan meminta bantuan CSTO, dan keputusan negara Asia Tengah itu dikritik AS.",
     "Kazakhstan=KAZ/- | CSTO=CSTO/IGO | negara Asia Tengah itu=KAZ/GOV | AS=USA/-"),
    ("id", "Warga AS diminta waspada di negara itu.", "Warga AS=USA/CVL"),
    ("en", "Iran rejected the claim and the country's foreign ministry protested.",
     "Iran=IRN/- | the country=IRN/GOV | foreign ministry=IRN/GOV"),
    ("id", "Blinken berbicara dengan wartawan. Dia membantah laporan itu.",
     "Blinken=USA/GOV | wartawan=-/JRN | Dia=USA/GOV"),
    ("en", "Erdogan called the king. He said Turkey was ready.",
     "Erdogan=TUR/GOV | king=TUR/GOV | He=TUR/GOV | Turkey=TUR/-"),
    ("id", "Putin menelepon Erdogan dan mereka sepakat bertemu.",
     "Putin=RUS/GOV | Erdogan=TUR/GOV | mereka=-/GOV"),
    ("en", "Police arrested protesters in Hong Kong after they blocked roads.",
     "Police=HKG/COP | protesters=HKG/CVL | Hong Kong=HKG/- | they=HKG/CVL"),
    ("en", "He said so.", ""),
])
# fmt: on
def test_pronouns(lang: str, text: str, expected: str) -> None:
    assert actors(find_actors(make_doc(text, lang, dt.date(2022, 1, 8)))) == expected


def test_pronoun_data_names_its_antecedent() -> None:
    doc = find_actors(make_doc("Putin menelepon Erdogan dan mereka sepakat bertemu.", "id"))
    they = span(doc, "mereka").data
    assert they["kind"] == "pronoun" and they["plural"] is True
    assert [m["code"] for m in they["members"]] == ["RUS", "TUR"]
    it = span(find_actors(make_doc("Otoritas AS bilang pihaknya siap.", "id")), "pihaknya").data
    assert it["antecedent"] == "Otoritas AS"
    text = "Menhan Kazakhstan Ruslan Zhaksylykov tiba. Zhaksylykov bicara, lalu dia pergi."
    she = span(find_actors(make_doc(text, "id", dt.date(2022, 1, 8))), "dia").data
    assert (she["code"], she["office"]) == ("KAZ", "defence minister")
    assert she["antecedent"] == "Zhaksylykov"


# fmt: off
@pytest.mark.parametrize("lang,text,expected", [
    ("id", "Polisi menangkap dua orang, kata Reuters mengutip Kompas.com.",
     [("Reuters", "Reuters"), ("Kompas.com", "Kompas")]),
    ("en", "The attack was reported by AP and The New York Times.",
     [("AP", "Associated Press"), ("The New York Times", "The New York Times")]),
    ("en", "Ap and the reuters are no outlets.", []),
    ("en", "It was first reported by Nikkei Asia and Rappler.",
     [("Nikkei Asia", "Nikkei"), ("Rappler", "Rappler")]),
    ("id", "Kabar itu dilaporkan KCNA, dikutip Yonhap.", [("KCNA", "KCNA"), ("Yonhap", "Yonhap")]),
])
# fmt: on
def test_outlets_are_not_actors(lang: str, text: str, expected: list) -> None:
    doc = find_actors(make_doc(text, lang))
    assert [(s.text, s.data["name"]) for s in doc.spans if s.kind == "outlet"] == expected
    outlets = {name for _, name in expected}
    assert not any(s.data.get("identifier_text") in outlets for s in doc.spans)


def test_dateline_is_never_an_actor() -> None:
    text = "WASHINGTON - Washington menolak usulan Moskow."
    doc = find_actors(make_doc(text, "id", dateline="WASHINGTON -"))
    assert actors(doc) == "Washington=USA/GOV | Moskow=RUS/GOV"
    assert all(s.start >= len("WASHINGTON -") for s in doc.spans)


def test_focus_country_and_context_flags() -> None:
    text = "Polisi menembakkan gas air mata. Demonstran di Almaty, Kazakhstan bubar."
    doc = find_actors(make_doc(text, "id", title="Rusuh di Kazakhstan, AS prihatin"))
    assert doc.focus_country == "KAZ"
    assert span(doc, "Polisi").data["from_context"] is True
    preset = make_doc("Polisi berjaga.", "id")
    preset.focus_country = "IDN"
    assert find_actors(preset).focus_country == "IDN"
    assert actors(find_actors(make_doc("Polisi berjaga.", "id"))) == "Polisi=-/COP"


def test_no_sentences_no_spans() -> None:
    doc = Document(article=Article(id="x", text="Polisi AS."), text="Polisi AS.", lang="id")
    assert find_actors(doc).spans == []


@pytest.mark.skipif(not SEED.exists(), reason="shared test data not available")
def test_seed_article() -> None:
    text = SEED.read_text(encoding="utf-8")
    doc = find_actors(make_doc(text, "id", dt.date(2022, 1, 8), dateline="JAKARTA -"))
    found = {s.text: (s.data.get("code"), s.data.get("sector")) for s in doc.spans}
    assert found["Amerika Serikat (AS)"] == ("USA", None)
    assert found["Menteri Luar Negeri Kazakhstan Mukhtar Tileuberdi"] == ("KAZ", "GOV")
    assert found["Kedutaan Besar AS"] == ("USA", "GOV")
    assert found["Otoritas AS"] == ("USA", "GOV")
    assert found["negara Asia Tengah itu"] == ("KAZ", "GOV")
    assert {s.text for s in doc.spans if s.kind == "outlet"} == {"Reuters", "Politico"}
    assert doc.focus_country == "KAZ"


@pytest.mark.skipif(not CLICKID.exists(), reason="shared corpus not available")
def test_offsets_and_no_overlaps_on_real_articles() -> None:
    with CLICKID.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for _, line in zip(range(300), fh, strict=False)]
    for row in rows:
        doc = find_actors(make_doc(row["text"], "id", dt.date.fromisoformat(row["published"])))
        spans = sorted(doc.spans, key=lambda s: s.start)
        assert all(doc.text[s.start : s.end] == s.text for s in spans)
        assert all(a.end <= b.start for a, b in zip(spans, spans[1:], strict=False))
        for s in spans:
            if s.kind == "actor":
                assert {"code", "sector", "identifier_text", "office", "kind"} <= s.data.keys()
