from hypothesis import given
from hypothesis import strategies as st

from fyren.messaging.urgent import normalise, parse_phrases, urgent_phrases_in


def test_it_finds_swedish_and_english_phrases_whatever_the_case_and_punctuation():
    assert urgent_phrases_in("Jag vill inte LEVA längre...") == ["vill inte leva"]
    assert urgent_phrases_in("Sometimes I want to die.") == ["want* to die"]
    assert urgent_phrases_in("I don't want to live") == ["don't want to live"]


def test_a_star_matches_any_ending():
    assert "självmord*" in urgent_phrases_in("Jag har haft självmordstankar i veckan")
    assert "suicid*" in urgent_phrases_in("suicidal thoughts")


def test_it_matches_whole_words_only():
    assert urgent_phrases_in("Jag skärmade av mig från nyheterna") == []
    assert urgent_phrases_in("Tack för hjälpen, det går bättre nu") == []


def test_a_phrase_split_over_lines_and_spaces_still_matches():
    assert urgent_phrases_in("ta  livet\nav mig") == ["ta* livet av mig"]


def test_sections_and_comments_are_read_from_the_phrase_file():
    phrases = parse_phrases("# comment\n[sv]\nvill dö\n\n[en]\nwant to die\n")
    assert phrases == {"sv": ["vill dö"], "en": ["want to die"]}


def test_a_deployment_can_add_its_own_phrases(tmp_path, settings):
    extra = tmp_path / "extra.txt"
    extra.write_text("[sv]\nmår uselt\n", encoding="utf-8")
    settings.FYREN_URGENT_PHRASES_FILE = str(extra)
    assert urgent_phrases_in("Jag mår uselt idag") == ["mår uselt"]


@given(st.text(alphabet="abcdefghij ,.!?\n", max_size=40), st.text(alphabet="abcdefghij ,.!?\n", max_size=40))
def test_a_listed_phrase_is_found_wherever_it_stands(before, after):
    text = f"{before} Jag vill dö {after}"
    assert "vill dö" in urgent_phrases_in(text)


@given(st.text(max_size=200))
def test_normalising_is_idempotent(text):
    assert normalise(normalise(text)) == normalise(text)


def test_word_order_and_small_insertions_still_match():
    assert "vill inte leva" in urgent_phrases_in("Ibland vill jag inte leva längre.")
    assert "ta* livet av mig" in urgent_phrases_in("Jag tänker att jag tar livet av mig")
    assert "want* to die" in urgent_phrases_in("I really want so much to die")
    assert urgent_phrases_in("Jag vill gärna träffas och prata om hur jag ska leva") == []
