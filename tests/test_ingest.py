"""Reading captures: discovery, decoding, normalisation, bad files, ids."""
import hashlib
import os

import pytest

from build_scripts.pipeline import assign_ids
from build_scripts.errors import CaptureError, DecodeError, EmptyCaptureError
from build_scripts.ingest import (DECODERS, IngestOptions, decode, discover, markdown_to_text, normalise, raw_copy,
                                  read_source)


def load(tmp_path, name, data, **opts):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return decode(read_source(path, tmp_path, IngestOptions(**opts)))


# --------------------------------------------------------------------------- discovery
def test_discovers_every_registered_format_recursively_in_stable_order(tmp_path):
    for rel in ["b.txt", "a/z.txt", "a/y.TXT", "notes.md", "page.HTML", "old.htm", "img.png", "data.json",
                ".hidden/x.txt", "a/.draft.txt"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    found = [p.relative_to(tmp_path).as_posix() for p in discover(tmp_path, IngestOptions())]
    assert found == ["a/y.TXT", "a/z.txt", "b.txt", "notes.md", "old.htm", "page.HTML"]


def test_default_suffixes_come_from_the_decoder_registry():
    assert set(IngestOptions().suffixes) == set(DECODERS)
    assert {".txt", ".html", ".htm", ".md"} <= set(DECODERS)


def test_a_link_leading_outside_the_seeds_is_not_a_capture(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("not for publication")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "real.txt").write_text("a capture")
    os.symlink(outside, seeds / "link.txt")
    (seeds / "inside").mkdir()
    os.symlink(seeds / "real.txt", seeds / "inside" / "alias.txt")
    found = [p.relative_to(seeds).as_posix() for p in discover(seeds, IngestOptions())]
    assert found == ["inside/alias.txt", "real.txt"]


# --------------------------------------------------------------------------- decoding
def test_utf8_with_and_without_bom_and_line_endings(tmp_path):
    a = load(tmp_path, "a.txt", "Title\r\n\r\nBody\u00a0text.\rMore\n".encode())
    b = load(tmp_path, "b.txt", b"\xef\xbb\xbf" + "Title\n\nBody text.\nMore\n".encode())
    assert a.text == b.text == "Title\n\nBody text.\nMore\n"
    assert (a.encoding, b.encoding) == ("utf-8", "utf-8-sig")
    assert a.format == b.format == "text" and a.meta == b.meta == ()


def test_sha256_and_size_are_of_the_raw_bytes(tmp_path):
    data = b"\xef\xbb\xbfHello.\r\n"
    c = load(tmp_path, "a.txt", data)
    assert c.sha256 == hashlib.sha256(data).hexdigest() and c.size == len(data)


@pytest.mark.parametrize("data, error, reason", [
    (b"", EmptyCaptureError, "empty or blank file"),
    (b"  \n\t\n", EmptyCaptureError, "empty or blank file"),
    (b"\xff\xfe" + " \n".encode("utf-16-le"), EmptyCaptureError, "empty or blank file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", DecodeError, "binary file"),
    (bytes(range(1, 32)) * 40, DecodeError, "binary file"),
    (b"\xff\xfeA\x00\x00\xd8", DecodeError, "not valid UTF-16-LE"),
])
def test_bad_files_raise_errors_naming_file_and_reason(tmp_path, data, error, reason):
    with pytest.raises(error) as info:
        load(tmp_path, "bad.txt", data)
    assert str(info.value).startswith("bad.txt: ") and reason in str(info.value)
    assert "\n" not in str(info.value)


def test_a_lone_latin1_byte_is_read_as_a_legacy_encoding_not_rejected(tmp_path):
    c = load(tmp_path, "a.txt", "Le caf\u00e9 a ouvert ses portes mardi.\n".encode("latin-1"))
    assert c.text == "Le caf\u00e9 a ouvert ses portes mardi.\n"
    assert c.encoding in ("cp1252", "iso8859-1")


def test_size_limit_is_configurable_and_names_the_sizes(tmp_path):
    with pytest.raises(CaptureError, match=r"big.txt: larger than the 100-byte limit \(101 bytes\)"):
        load(tmp_path, "big.txt", b"x" * 101, max_bytes=100)
    assert load(tmp_path, "ok.txt", b"x" * 100, max_bytes=100).size == 100


def test_unknown_suffix_has_no_reader(tmp_path):
    with pytest.raises(CaptureError, match="no reader for '.rtf' files"):
        load(tmp_path, "a.rtf", b"{\\rtf1 hello}")


# --------------------------------------------------------------------------- normalisation
def test_normalise_collapses_spaces_and_invisible_characters():
    assert normalise("a\u200b b\u00a0\u00a0c  \n\n\n") == "a b c\n"


def test_normalise_unifies_every_line_break_and_drops_control_characters():
    text = "one\r\ntwo\rthree\u2028four\u2029five\x0bsix\x0cseven\x85eight\x1b[31m red\x07\n"
    assert normalise(text) == "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight[31m red\n"


def test_normalise_composes_to_nfc():
    assert normalise("Cafe\u0301\n") == "Caf\u00e9\n"


# --------------------------------------------------------------------------- markdown
def test_markdown_to_text_keeps_words_and_drops_only_syntax():
    md = ("# Heading\n\nSome **bold** and *em* and `code` with [a link](https://x.example) "
          "and ![alt text](img.png).\n\n- one\n- two\n\n> quoted line\n\n```\nfenced code\n```\n\n"
          "| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert markdown_to_text(md) == ("Heading\n\nSome bold and em and code with a link and alt text.\n\n- one\n- two\n\n"
                                    "quoted line\n\nfenced code\n\na | b\n\n1 | 2\n")


def test_markdown_to_text_leaves_raw_html_as_characters():
    text = markdown_to_text('Before <script>alert("x")</script> after.\n\n<iframe src="https://x"></iframe>\n')
    assert '<script>alert("x")</script>' in text and '<iframe src="https://x"></iframe>' in text


# --------------------------------------------------------------------------- raw copies
@pytest.mark.parametrize("seed, published", [
    ("a.txt", "a.txt"), ("sub/A.TXT", "sub/A.TXT"), ("page.html", "page.html.txt"), ("p.htm", "p.htm.txt"),
    ("note.md", "note.md.txt"),
])
def test_raw_copies_of_markup_formats_are_published_as_text(seed, published):
    assert raw_copy(seed) == published


# --------------------------------------------------------------------------- ids
SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"


def test_ids_are_url_safe_and_unique_for_odd_names():
    rels = ["a b.txt", "a_b.txt", "a-b.txt", "A&B.txt", "a#b.txt", "<a>b.txt", "北京.txt", "東京.txt",
            "index.txt", "sub/index.txt", "x/y.txt", "x-y.txt", "x/y.md"]
    ids = assign_ids(rels)
    assert len(set(ids.values())) == len(rels)
    for rel, id_ in ids.items():
        assert __import__("re").fullmatch(SLUG, id_), (rel, id_)
    assert ids["index.txt"] != "index"  # articles/index.md is the articles index
    assert ids["sub/index.txt"] == "sub-index"


def test_ids_do_not_depend_on_order_and_keep_plain_slugs_when_alone():
    rels = ["b c.txt", "b_c.txt", "plain.txt", "2024/reuters.txt"]
    assert assign_ids(rels) == assign_ids(list(reversed(rels)))
    ids = assign_ids(rels)
    assert ids["plain.txt"] == "plain" and ids["2024/reuters.txt"] == "2024-reuters"
    assert ids["b c.txt"].startswith("b-c-") and ids["b_c.txt"].startswith("b-c-")


def test_an_id_stays_with_its_capture_when_a_lookalike_arrives():
    first = assign_ids(["report one.txt"])
    assert first == {"report one.txt": "report-one"}
    later = assign_ids(["report one.txt", "report_one.txt"], previous=first)
    assert later["report one.txt"] == "report-one"
    assert later["report_one.txt"].startswith("report-one-")
    # and a previous id that another capture now owns is not stolen
    again = assign_ids(["report one.txt", "report_one.txt"], previous={**later, "report_one.txt": "report-one"})
    assert len(set(again.values())) == 2 and again["report one.txt"] == "report-one"


def test_mojibake_screen_agrees_with_ftfy_on_every_kind_of_text():
    """``may_be_mojibake`` looks only around non-ASCII characters; it must say what ftfy's
    own detector says on the whole text, so skipping ftfy never skips a repair."""
    import random

    from ftfy.badness import is_bad

    from build_scripts.ingest import _mojibake_width, may_be_mojibake

    assert _mojibake_width() is not None  # the fast path is in use with this ftfy
    letters = list("aé Ãâ€™œÂ\xa0 x¡ÐÑ€ÃƒÂ©Ù…ØªØ³Ø¬\n,.?!√±≈°‚ÄìβāВГРС") + [chr(c) for c in range(0xA0, 0x180)]
    rnd = random.Random(7)
    texts = ["sÃ³", "voilÃ le travail", "Ã ", "x Ã ", "café “quoted” — text", "â€™", "平安", "×²", "ГўВЂВa"]
    for _ in range(20000):
        middle = "".join(rnd.choice(letters) for _ in range(rnd.randint(0, 12)))
        texts.append("ab " * rnd.randint(0, 3) + middle + " cd" * rnd.randint(0, 3))
    assert any(is_bad(t) for t in texts) and not all(is_bad(t) for t in texts)
    for text in texts:
        assert may_be_mojibake(text) == is_bad(text), repr(text)


def test_normalise_in_one_pass_is_normalising_line_by_line():
    import random
    import re
    import unicodedata

    spaces = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
    breaks = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
    dropped = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\x00-\x08\x0e-\x1f\x7f]")

    def by_line(text):
        text = dropped.sub("", unicodedata.normalize("NFC", breaks.sub("\n", text)))
        return "\n".join(spaces.sub(" ", line).strip() for line in text.split("\n")).strip("\n") + "\n"

    pieces = ["a", "é", "e\u0301", " ", "  ", "\t", "\u00a0", "\u200b", "\x0b", "\r", "\r\n", "\x1c", "\x85",
              "\u2028", "\n", "\ufeff", "\x00", "\u3000", "\u2003", " \t"]
    rnd = random.Random(2)
    for _ in range(20000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 15)))
        assert normalise(text) == by_line(text), repr(text)
