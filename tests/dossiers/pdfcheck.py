"""Reading a produced PDF in tests: its text (pypdf), its fonts, and its first page as a PNG (pypdfium2)."""
import io

from pypdf import PdfReader


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def pdf_pages(content: bytes) -> int:
    return len(PdfReader(io.BytesIO(content)).pages)


def pdf_fonts(content: bytes) -> list[dict]:
    """One entry per font resource used on any page (as ``pdffonts`` lists them): base name, subtype,
    whether it is embedded."""
    reader = PdfReader(io.BytesIO(content))
    seen: dict[str, dict] = {}
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        fonts = resources.get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            name = str(font.get("/BaseFont", ""))
            subtype = str(font.get("/Subtype", ""))
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descendant = font["/DescendantFonts"][0].get_object()
                descriptor = descendant.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            seen[name] = {"name": name, "subtype": subtype, "embedded": embedded}
    return list(seen.values())


def first_page_png(content: bytes, path, scale: float = 1.5) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(content)
    try:
        pdf[0].render(scale=scale).to_pil().save(path)
    finally:
        pdf.close()
