"""Reading captures: discovery, decoding, normalisation, clear errors."""
import pytest

from build_scripts.errors import CaptureError, DecodeError, EmptyCaptureError
from build_scripts.ingest import IngestOptions, decode, discover, normalise, read_source


def load(tmp_path, name, data, **opts):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return decode(read_source(path, tmp_path, IngestOptions(**opts)))


def test_discovers_txt_recursively_in_stable_order(tmp_path):
    for rel in ["b.txt", "a/z.txt", "a/y.TXT", "notes.md", ".hidden/x.txt"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    found = [p.relative_to(tmp_path).as_posix() for p in discover(tmp_path, IngestOptions())]
    assert found == ["a/y.TXT", "a/z.txt", "b.txt"]


def test_utf8_with_and_without_bom_and_line_endings(tmp_path):
    a = load(tmp_path, "a.txt", "Title\r\n\r\nBody\u00a0text.\rMore\n".encode())
    b = load(tmp_path, "b.txt", b"\xef\xbb\xbf" + "Title\n\nBody text.\nMore\n".encode())
    assert a.text == b.text == "Title\n\nBody text.\nMore\n"
    assert (a.encoding, b.encoding) == ("utf-8", "utf-8-sig")


def test_sha256_and_size_are_of_the_raw_bytes(tmp_path):
    import hashlib
    data = b"\xef\xbb\xbfHello.\r\n"
    c = load(tmp_path, "a.txt", data)
    assert c.sha256 == hashlib.sha256(data).hexdigest() and c.size == len(data)


@pytest.mark.parametrize("data, error", [(b"", EmptyCaptureError), (b"  \n\t\n", EmptyCaptureError),
                                         (b"\x89PNG\x00\x00\x01", DecodeError), (b"caf\xe9 latin-1", DecodeError)])
def test_bad_files_raise_named_errors(tmp_path, data, error):
    with pytest.raises(error) as info:
        load(tmp_path, "bad.txt", data)
    assert str(info.value).startswith("bad.txt: ")


def test_size_limit(tmp_path):
    with pytest.raises(CaptureError, match="limit"):
        load(tmp_path, "big.txt", b"x" * 101, max_bytes=100)


def test_normalise_collapses_spaces_and_invisible_characters():
    assert normalise("a\u200b b\u00a0\u00a0c  \n\n\n") == "a b c\n"
