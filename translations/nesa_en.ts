<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>main</name>
    <message>
        <source>Private AI on other people's GPUs, paid in NES.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Read settings from &lt;file&gt;.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Interface language (en, fr).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Files to add to the list.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Nesa Desktop</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n local miner(s)</source>
        <translation>
            <numerusform>%n local miner</numerusform>
            <numerusform>%n local miners</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>nesa::ui</name>
    <message>
        <source>MRI/CT volume</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>DICOM scan</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Image</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Document</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Unsupported</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>nesa::ui::DropFileList</name>
    <message>
        <source>folder</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Only files on this computer can be added.</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n item(s) were not files on this computer and were skipped.</source>
        <translation>
            <numerusform>%n item was not files on this computer and was skipped.</numerusform>
            <numerusform>%n items were not files on this computer and were skipped.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) no longer exist and were skipped.</source>
        <translation>
            <numerusform>%n file no longer exists and was skipped.</numerusform>
            <numerusform>%n files no longer exist and were skipped.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>nesa::ui::MainWindow</name>
    <message>
        <source>Nesa Desktop</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Private analysis</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Drop MRI scans (DICOM, NIfTI), images or documents (PDF, DOCX, TXT, MD) below. Files stay on this computer: only encrypted shares leave it.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Add files…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Network: joining %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Network: local (everything on this computer), %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Add files</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Scans, images and documents (*.dcm *.nii *.nii.gz *.png *.jpg *.jpeg *.tif *.tiff *.bmp *.pdf *.docx *.txt *.md);;All files (*)</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n file(s) ready</source>
        <translation>
            <numerusform>%n file ready</numerusform>
            <numerusform>%n files ready</numerusform>
        </translation>
    </message>
</context>
</TS>