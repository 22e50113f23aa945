"""kg.ingest's Turkish: folding (dotted and dotless I), names with suffixes, dates at their precision, ordinals."""
from __future__ import annotations

import pytest
from rdflib import Literal
from rdflib import namespace

from kg.ingest import dates, ordinals, turkish


def test_folding_keeps_turkish_i_apart_and_keeps_offsets():
    assert turkish.fold("İSTİŞARE TOPLANTISI") == "istişare toplantısı"
    assert turkish.fold("Işık") == "ışık" and turkish.fold("İlham") == "ilham"
    text = "İİIı Taşkent’te"
    assert len(turkish.fold(text)) == len(text)             # Python's own lower() makes İ two code points
    assert turkish.fold(text).endswith("taşkent'te")        # a typographic apostrophe read as '


@pytest.mark.parametrize("name, text, suffix", [
    ("Taşkent", "Özbekistan'ın başkenti Taşkent'te", "te"),
    ("Kazakistan", "ilk toplantı 2018de Kazakistanda,", "da"),
    ("Duşanbe", "Duşanbe'de yapılan", "de"),
    ("Tacikistan", "Tacikistan'ın ev sahipliğinde", "ın"),
    ("Mirziyoyev", "MİRZİYOYEV'İN başkanlığında", "in"),
    ("İmamali Rahman", "Cumhurbaşkanı İmamali \nRahman, ", None),
])
def test_a_name_is_found_with_or_without_apostrophe_and_suffix(name, text, suffix):
    m = turkish.name_pattern(name).search(turkish.fold(text))
    assert m is not None and m.group("suffix") == suffix
    assert turkish.fold(text[m.start("name"):m.end("name")]).split() == turkish.fold(name).split()


def test_a_name_inside_another_word_is_not_found():
    assert turkish.name_pattern("Rahman").search(turkish.fold("Abdurrahman geldi")) is None
    assert turkish.is_locative("te") and turkish.is_genitive("ın") and not turkish.is_locative("ın")


def test_spelling_variants_share_a_skeleton():
    assert turkish.skeleton("Şavkat") == turkish.skeleton("Şevket")
    assert turkish.skeleton("Berdimuhamedov") == turkish.skeleton("Berdimuhammedov")
    assert turkish.skeleton("Serdar") != turkish.skeleton("Gurbangulı")
    assert turkish.ascii_slug("Sooronbay Ceenbekov") == "sooronbay-ceenbekov"
    assert turkish.ascii_slug("İlham Aliyev") == "ilham-aliyev"


def _one(text: str, default_year: int | None = None) -> dates.DateMention:
    found = dates.find_dates(text, default_year)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("text, value, dtype, span", [
    ("6 Ağustos 2021 tarihinde Türkmenistan", "2021-08-06", namespace.XSD.date, "6 Ağustos 2021 tarihinde"),
    ("14 Temmuz 2023'te Duşanbe", "2023-07-14", namespace.XSD.date, "14 Temmuz 2023'te"),
    ("Toplantı Mart 2018'de Astana'da", "2018-03", namespace.XSD.gYearMonth, "Mart 2018'de"),
    ("Kasım 2025", "2025-11", namespace.XSD.gYearMonth, "Kasım 2025"),
    ("toplantısı 2018de Kazakistanda", "2018", namespace.XSD.gYear, "2018de"),
    ("toplantısı 2018'de Kazakistan'da", "2018", namespace.XSD.gYear, "2018'de"),
    ("2018 yılında Astana", "2018", namespace.XSD.gYear, "2018 yılında"),
    ("Blog No: 50\n24.09.2021\n", "2021-09-24", namespace.XSD.date, "24.09.2021"),
])
def test_each_form_at_its_precision_with_its_span(text, value, dtype, span):
    d = _one(text)
    assert d.value == Literal(value, datatype=dtype)
    assert text[d.start:d.end] == span


def test_a_day_range_takes_its_year_from_the_text():
    text = "30 Kasım 2019 08:32\nZirve 15-16 Kasım tarihlerinde yapıldı."
    first, second = dates.find_dates(text)
    assert first.dateline and first.value == Literal("2019-11-30", datatype=namespace.XSD.date)
    assert text[first.start:first.end] == "30 Kasım 2019 08:32"
    assert second.value == Literal("2019-11-15", datatype=namespace.XSD.date)
    assert second.until == Literal("2019-11-16", datatype=namespace.XSD.date) and second.year_from_context
    assert text[second.start:second.end] == "15-16 Kasım"
    assert dates.find_dates("15-16 Kasım") == []                      # no year anywhere: nothing made up
    assert _one("15-16 Kasım", 2024).value == Literal("2024-11-15", datatype=namespace.XSD.date)


def test_periods_centuries_and_impossible_days_are_not_dates():
    assert dates.find_dates("2026-2028 dönemleri için, 21. Yüzyılda") == []
    assert dates.find_dates("31 Şubat 2020") == []
    assert dates.dateline("Özbekistan'ın başkenti 16 Kasım 2025") is None


@pytest.mark.parametrize("word, value", [
    ("7.", 7), ("ilk", 1), ("birinci", 1), ("ikincisi", 2), ("üçüncü", 3), ("Üçüncüsü", 3), ("dördüncü", 4),
    ("beşincisi", 5), ("altıncı", 6), ("yedinci", 7), ("2'nci", 2), ("İLK", 1), ("toplantı", None),
])
def test_ordinals(word, value):
    assert ordinals.ordinal_value(word) == value


def test_ordinals_in_running_text():
    text = "Cumhurbaşkanları 2. İstişare Toplantısı'na ... ikincisi ise 2019da"
    found = ordinals.find_ordinals(text)
    assert [(o.value, o.noun, text[o.start:o.end]) for o in found] == [(2, False, "2."), (2, True, "ikincisi")]
    assert [o.value for o in ordinals.find_ordinals("2019. yılda, 15 Mart.")] == []
