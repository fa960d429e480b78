#!/usr/bin/env python3
"""Fills translations/nesa_fr.ts (French) and the plural forms of nesa_en.ts from the tables
below, leaving every other message as lupdate wrote it. Run after `cmake --build build
--target update_translations` when user-visible strings change; add new strings to the tables.
"""
import pathlib
import sys
import xml.etree.ElementTree as ET

ROOT = pathlib.Path(__file__).resolve().parent.parent / "translations"

# source text -> French text, or (singular, plural) for %n messages
FRENCH = {
    "Private AI on other people's GPUs, paid in NES.":
        "L'IA privée sur les GPU des autres, payée en NES.",
    "Read settings from <file>.": "Lire les réglages depuis <file>.",
    "Interface language (en, fr).": "Langue de l'interface (en, fr).",
    "Files to add to the list.": "Fichiers à ajouter à la liste.",
    "Nesa Desktop": "Nesa Desktop",
    "%n local miner(s)": ("%n mineur local", "%n mineurs locaux"),
    "MRI/CT volume": "Volume IRM/scanner",
    "DICOM scan": "Examen DICOM",
    "Image": "Image",
    "Document": "Document",
    "Unsupported": "Non pris en charge",
    "folder": "dossier",
    "Only files on this computer can be added.":
        "Seuls les fichiers de cet ordinateur peuvent être ajoutés.",
    "%n item(s) were not files on this computer and were skipped.": (
        "%n élément n'était pas un fichier de cet ordinateur et a été ignoré.",
        "%n éléments n'étaient pas des fichiers de cet ordinateur et ont été ignorés."),
    "%n file(s) no longer exist and were skipped.": (
        "%n fichier n'existe plus et a été ignoré.",
        "%n fichiers n'existent plus et ont été ignorés."),
    "Private analysis": "Analyse privée",
    "Drop MRI scans (DICOM, NIfTI), images or documents (PDF, DOCX, TXT, MD) below. Files stay on "
    "this computer: only encrypted shares leave it.":
        "Déposez ci-dessous des IRM (DICOM, NIfTI), des images ou des documents (PDF, DOCX, TXT, "
        "MD). Les fichiers restent sur cet ordinateur : seules des parts chiffrées en sortent.",
    "Add files…": "Ajouter des fichiers…",
    "Remove": "Retirer",
    "Network: joining %1": "Réseau : connexion à %1",
    "Network: local (everything on this computer), %1":
        "Réseau : local (tout sur cet ordinateur), %1",
    "Add files": "Ajouter des fichiers",
    "Scans, images and documents (*.dcm *.nii *.nii.gz *.png *.jpg *.jpeg *.tif *.tiff *.bmp "
    "*.pdf *.docx *.txt *.md);;All files (*)":
        "Examens, images et documents (*.dcm *.nii *.nii.gz *.png *.jpg *.jpeg *.tif *.tiff "
        "*.bmp *.pdf *.docx *.txt *.md);;Tous les fichiers (*)",
    "%n file(s) ready": ("%n fichier prêt", "%n fichiers prêts"),
}


def english_plural(source):
    """'%n file(s) ready' -> ('%n file ready', '%n files ready'); verbs agree where needed."""
    one = source.replace("(s)", "").replace(" were ", " was ").replace(" exist ", " exists ")
    many = source.replace("(s)", "s")
    return one, many


def fill(path, lookup):
    tree = ET.parse(path)
    missing = []
    for message in tree.iter("message"):
        source = message.findtext("source")
        translation = message.find("translation")
        value = lookup(source)
        if value is None:
            missing.append(source)
            continue
        translation.attrib.pop("type", None)
        if message.get("numerus") == "yes":
            forms = translation.findall("numerusform")
            for form, text in zip(forms, value):
                form.text = text
        else:
            translation.text = value
    tree.write(path, encoding="utf-8", xml_declaration=True)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("<?xml version='1.0' encoding='utf-8'?>",
                                 '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>'),
                    encoding="utf-8")
    return missing


missing = fill(ROOT / "nesa_fr.ts", FRENCH.get)
fill(ROOT / "nesa_en.ts",
     lambda s: english_plural(s) if "(s)" in s else None)
if missing:
    print("untranslated in nesa_fr.ts:", *missing, sep="\n  ")
    sys.exit(1)
