<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>main</name>
    <message>
        <source>Private AI on other people's GPUs, paid in NES.</source>
        <translation>L'IA privée sur les GPU des autres, payée en NES.</translation>
    </message>
    <message>
        <source>Read settings from &lt;file&gt;.</source>
        <translation>Lire les réglages depuis &lt;file&gt;.</translation>
    </message>
    <message>
        <source>Interface language (en, fr).</source>
        <translation>Langue de l'interface (en, fr).</translation>
    </message>
    <message>
        <source>Files to add to the list.</source>
        <translation>Fichiers à ajouter à la liste.</translation>
    </message>
    <message>
        <source>Nesa Desktop</source>
        <translation>Nesa Desktop</translation>
    </message>
    <message numerus="yes">
        <source>%n local miner(s)</source>
        <translation>
            <numerusform>%n mineur local</numerusform>
            <numerusform>%n mineurs locaux</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>nesa::ui</name>
    <message>
        <source>MRI/CT volume</source>
        <translation>Volume IRM/scanner</translation>
    </message>
    <message>
        <source>DICOM scan</source>
        <translation>Examen DICOM</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>Image</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>Document</translation>
    </message>
    <message>
        <source>Unsupported</source>
        <translation>Non pris en charge</translation>
    </message>
</context>
<context>
    <name>nesa::ui::DropFileList</name>
    <message>
        <source>folder</source>
        <translation>dossier</translation>
    </message>
    <message>
        <source>Only files on this computer can be added.</source>
        <translation>Seuls les fichiers de cet ordinateur peuvent être ajoutés.</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) were not files on this computer and were skipped.</source>
        <translation>
            <numerusform>%n élément n'était pas un fichier de cet ordinateur et a été ignoré.</numerusform>
            <numerusform>%n éléments n'étaient pas des fichiers de cet ordinateur et ont été ignorés.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) no longer exist and were skipped.</source>
        <translation>
            <numerusform>%n fichier n'existe plus et a été ignoré.</numerusform>
            <numerusform>%n fichiers n'existent plus et ont été ignorés.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>nesa::ui::MainWindow</name>
    <message>
        <source>Nesa Desktop</source>
        <translation>Nesa Desktop</translation>
    </message>
    <message>
        <source>Private analysis</source>
        <translation>Analyse privée</translation>
    </message>
    <message>
        <source>Drop MRI scans (DICOM, NIfTI), images or documents (PDF, DOCX, TXT, MD) below. Files stay on this computer: only encrypted shares leave it.</source>
        <translation>Déposez ci-dessous des IRM (DICOM, NIfTI), des images ou des documents (PDF, DOCX, TXT, MD). Les fichiers restent sur cet ordinateur : seules des parts chiffrées en sortent.</translation>
    </message>
    <message>
        <source>Add files…</source>
        <translation>Ajouter des fichiers…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Retirer</translation>
    </message>
    <message>
        <source>Network: joining %1</source>
        <translation>Réseau : connexion à %1</translation>
    </message>
    <message>
        <source>Network: local (everything on this computer), %1</source>
        <translation>Réseau : local (tout sur cet ordinateur), %1</translation>
    </message>
    <message>
        <source>Add files</source>
        <translation>Ajouter des fichiers</translation>
    </message>
    <message>
        <source>Scans, images and documents (*.dcm *.nii *.nii.gz *.png *.jpg *.jpeg *.tif *.tiff *.bmp *.pdf *.docx *.txt *.md);;All files (*)</source>
        <translation>Examens, images et documents (*.dcm *.nii *.nii.gz *.png *.jpg *.jpeg *.tif *.tiff *.bmp *.pdf *.docx *.txt *.md);;Tous les fichiers (*)</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) ready</source>
        <translation>
            <numerusform>%n fichier prêt</numerusform>
            <numerusform>%n fichiers prêts</numerusform>
        </translation>
    </message>
</context>
</TS>