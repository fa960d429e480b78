<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AnalyzePage</name>
    <message>
        <source>The run was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The analysis stopped unexpectedly.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The analysis gave no readable result.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the estimate failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 share jobs at up to %2 µNES; opening %3 payment sessions costs gas and locks a refundable deposit</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <source>the audit log is locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the wallet&apos;s passphrase does not open the audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>there is no audit log on this computer yet: it starts with the first analysis after the audit log is turned on in Settings</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HistoryPage</name>
    <message>
        <source>the history is locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the passphrase does not open the history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(input not kept: organisation&apos;s policy)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(the run failed; its message is not kept: organisation&apos;s policy)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MinerPage</name>
    <message>
        <source>the miner command failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the miner&apos;s status could not be read</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NetworkPage</name>
    <message>
        <source>the network&apos;s status could not be read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the chain command failed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WalletPage</name>
    <message>
        <source>about %1, at most %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>there is no wallet yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing was sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>review it first: nothing is sent without a quote</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the network fee rose since the review (now at most %1): review it again; nothing was sent</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Private AI on other people&apos;s GPUs, paid in NES.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read settings from &lt;file&gt;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Interface language (en, fr).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files to add to the list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nesa Desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the first file and run &lt;model&gt; on it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The privacy level for --run (default hss).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the first-run wizard even when a wallet exists (with --screenshot: save its recovery-phrase page and quit).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>After --run, also save the &quot;What the miners saw&quot; tab as &lt;png&gt;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the window as &lt;png&gt; and quit: when --run ends, or once the --show page has its data.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit as soon as the main window is shown, printing how long after launch that was (start-up timing).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open on &lt;page&gt; (analyze, wallet, miner, network, history, settings, audit; with --screenshot, pacs: the Open from PACS dialog).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nesa</name>
    <message>
        <source>%1 did not answer</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nesa::app::LocalApiServer</name>
    <message>
        <source>Local API: stopped until the wallet is unlocked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local API: stopped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local API: waits for the wallet to be unlocked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local API on %1 (token in %2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local API: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The local API stopped (exit code %1); its log is %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local API: nesa-analyze could not be started.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nesa::app::LocalNetwork</name>
    <message>
        <source>The local network stopped (exit code %1); its log is %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting the local network…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local network: using the devnet already running on this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Local network ready: an EVM devnet and %n miner(s) on this computer.</source>
        <translation>
            <numerusform>Local network ready: an EVM devnet and %n miner on this computer.</numerusform>
            <numerusform>Local network ready: an EVM devnet and %n miners on this computer.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>nesa::app::ProcessPacsBackend</name>
    <message>
        <source>The PACS did not answer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot make a private folder for the series.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nesa pacs did not start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The transfer was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The series could not be retrieved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The PACS did not store the result.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nesa::app::ProcessSignInBackend</name>
    <message>
        <source>someone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the kept sign-in is damaged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nesa login did not start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nesa login failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nesa login --forget failed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nesa::ui</name>
    <message>
        <source>MRI/CT volume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DICOM scan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Document</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsupported</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nesa::ui::AnalyzePage</name>
    <message>
        <source>%1, %2 voxels of %3 × %4 × %5 mm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 image, %2 × %3 pixels</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 document, %n character(s)</source>
        <translation>
            <numerusform>%1 document, %n character</numerusform>
            <numerusform>%1 document, %n characters</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 is not a scan, an image or a document this app can read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add files…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save report…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Privacy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scans, images and documents (*.dcm *.nii *.nii.gz *.png *.jpg *.jpeg *.tif *.tiff *.bmp *.pdf *.docx *.txt *.md);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Patient details (%n attribute(s)) stay on this computer: they are never sent.</source>
        <translation>
            <numerusform>Patient details (%n attribute) stay on this computer: they are never sent.</numerusform>
            <numerusform>Patient details (%n attributes) stay on this computer: they are never sent.</numerusform>
        </translation>
    </message>
    <message>
        <source>Add a file first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No installed model takes this kind of input.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Free: nothing leaves this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Call %1 of %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The run was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Verified: %n miner(s) answered, every check passed (%1).</source>
        <translation>
            <numerusform>Verified: %n miner answered, every check passed (%1).</numerusform>
            <numerusform>Verified: %n miners answered, every check passed (%1).</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 check(s) failed; the wrong answers were replaced and reported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text files (*.txt)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The report could not be saved to %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paid %1 NES for the verified answers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the miners saw</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Estimating the cost…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not estimated: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About %1 NES, paid only for verified answers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export output…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The model&apos;s output as a NumPy file (float32)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NumPy files (*.npy)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The output could not be exported to %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open from PACS…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send result to PACS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Store the segmentation (DICOM SEG) and its volumes (DICOM SR) in the scan&apos;s study on the PACS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The segmentation and its volumes are stored in the scan&apos;s study on %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No DICOM result: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set a PACS first (Settings, or &apos;nesa config set pacsNode&apos;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The export is not on record in the audit log: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was written: the export cannot be recorded in the audit log: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nesa::ui::AuditPage</name>
    <message>
        <source>Record %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subject: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Anyone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Today (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search subjects, outcomes, details…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verify the log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re-hash every record and check the signed checkpoints, as &apos;nesa audit verify&apos; does: an edited, deleted, reordered or truncated record, or an older copy of the log, is found.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>The log is intact: %n record(s) re-hashed</source>
        <translation>
            <numerusform>The log is intact: %n record re-hashed</numerusform>
            <numerusform>The log is intact: %n records re-hashed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n signed checkpoint(s) checked.</source>
        <translation>
            <numerusform>, %n signed checkpoint checked.</numerusform>
            <numerusform>, %n signed checkpoints checked.</numerusform>
        </translation>
    </message>
    <message>
        <source>The log is NOT intact:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You may not read the audit trail: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The audit trail could not be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The audit trail is kept encrypted with your wallet&apos;s passphrase: unlock the wallet to read it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n record(s) shown, newest first.</source>
        <translation>
            <numerusform>%n record shown, newest first.</numerusform>
            <numerusform>%n records shown, newest first.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n more hidden by the search.</source>
        <translation>
            <numerusform>%n more hidden by the search.</numerusform>
            <numerusform>%n more hidden by the search.</numerusform>
        </translation>
    </message>
    <message>
        <source>Only the records of this user name, exactly as recorded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The log could not be checked: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nesa::ui::DropFileList</name>
    <message>
        <source>folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only files on this computer can be added.</source>
        <translation type="unfinished"></translation>
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
    <name>nesa::ui::FirstRunWizard</name>
    <message>
        <source>Nesa Desktop: first start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next &gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt; Back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finish</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your wallet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The wallet pays miners for your analyses and receives what your miner earns. Its keys stay on this computer, in an encrypted file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create a new wallet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore a wallet from its recovery phrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your recovery phrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write these 24 words down, in order, on paper. They are shown only once. Anyone who has them can spend your NES; without them a forgotten passphrase cannot be recovered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>I have written the 24 words down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No recovery phrase could be made on this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prove the backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type the words at these three positions, from your paper.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Word #%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Word #%1 does not match. Check your paper; if the words were not written down, cancel and start again for a new phrase.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore a wallet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type the recovery phrase (12 to 24 words, in order, separated by spaces).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is not a valid recovery phrase: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The passphrase locks the wallet file and the history of your analyses on this computer. At least 8 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The passphrase needs at least 8 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two passphrases differ.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The wallet could not be created: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local network (everything on this computer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The settings could not be saved: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where your analyses go. The local network runs a chain node, the Nesa contracts and miners on this computer: nothing leaves it, and the demo wallet pays. Joining a network sends encrypted shares to other people&apos;s miners and pays them from your wallet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join the EVM network of this chain node:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>its deployment file (deployment.json)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nesa::ui::HistoryPage</name>
    <message>
        <source>File: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Privacy: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finished: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Miners: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search files, models, results…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Privacy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The history could not be used: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The history is kept encrypted with your wallet&apos;s passphrase: unlock the wallet to see it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n analysis record(s) in the history, kept only in its encrypted store.</source>
        <translation>
            <numerusform>%n analysis record in the history, kept only in its encrypted store.</numerusform>
            <numerusform>%n analysis records in the history, kept only in its encrypted store.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n analysis record(s) will be saved when the history opens.</source>
        <translation>
            <numerusform>%n analysis record will be saved when the history opens.</numerusform>
            <numerusform>%n analysis records will be saved when the history opens.</numerusform>
        </translation>
    </message>
    <message>
        <source>failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete analysis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the analysis of %1 from the history for good?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nesa::ui::MainWindow</name>
    <message>
        <source>Nesa Desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Private analysis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network: joining %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) ready</source>
        <translation>
            <numerusform>%n file ready</numerusform>
            <numerusform>%n files ready</numerusform>
        </translation>
    </message>
    <message>
        <source>Analyze</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wallet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Miner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The language changes at the next start: a file is opening or a run is going on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Network: local (everything on this computer), %n local miner(s)</source>
        <translation>
            <numerusform>Network: local (everything on this computer), %n local miner</numerusform>
            <numerusform>Network: local (everything on this computer), %n local miners</numerusform>
        </translation>
    </message>
    <message>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The miner&apos;s choices were not saved: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopping the miner…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The miner keeps serving. Open Nesa Desktop from this icon.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drop MRI scans (DICOM, NIfTI), images or documents (PDF, DOCX, TXT, MD) below. Files are read on this computer; what leaves it depends on the privacy level: nothing at local, data scrambled with your key at ee, random-looking shares at hss.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nesa::ui::MinerPage</name>
    <message>
        <source>The miner is off: this computer earns nothing and lends nothing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The miner runs but does not answer: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jobs served without pay so far: the clients&apos; sessions have not paid for them yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Earning: verified answers are paid from the clients&apos; sessions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Turn the miner on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every core</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Earned while this window watched (NES)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Threads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not switch the miner: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting the miner…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopping the miner…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The miner is on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The miner is off.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) served</source>
        <translation>
            <numerusform>%n job served</numerusform>
            <numerusform>%n jobs served</numerusform>
        </translation>
    </message>
    <message>
        <source>Turn the miner off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 served, %2 failed, %3 refused, %4 waiting; earned %5 (%6 settled)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused: other programs are keeping this computer busy, and the miner serves only while it is idle.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Automatic (a GPU when there is one)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Processor (CPU)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPU: looking for one…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only while this computer is idle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep mining when the window closes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compute on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPU: none found on this computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPU %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused: this computer is busy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Serving again: this computer is idle.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>paused (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How many jobs the miner computes at the same time: with a GPU, how much of it the miner takes at once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jobs at a time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not earning: the miner&apos;s account %1 has no stake on chain yet. It needs the network&apos;s minimum stake in NES, and gas money.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not earning yet: the registry contract has not listed this miner.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On chain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 staked, reputation %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not read from the chain yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for work: no client has sent this miner a job yet (clients use the registry&apos;s miners up to the price they accept).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nesa::ui::MinerTray</name>
    <message>
        <source>Nesa Desktop · miner: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open Nesa Desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Turn the miner off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nesa Desktop</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nesa::ui::NetworkPage</name>
    <message>
        <source>%1 µNES per job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Miner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Price</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stake</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reputation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Latency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jobs served</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> + %1 µNES per MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the network&apos;s status…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The network cannot be reached: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Chain node %1 · %2 of %n registered miner(s) answering</source>
        <translation>
            <numerusform>Chain node %1 · %2 of %n registered miner answering</numerusform>
            <numerusform>Chain node %1 · %2 of %n registered miners answering</numerusform>
        </translation>
    </message>
    <message>
        <source>Clients use the miners the registry contract lists, up to the price they accept. Reputation rises with verified, paid work and falls with wrong answers a jury confirmed, which also cost stake. Latency is one status round trip from this computer.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nesa::ui::OpenFromPacsDialog</name>
    <message>
        <source>Open from PACS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No PACS is set. Set one in Settings (PACS), or with &apos;nesa config set pacsNode AET@HOST:PORT&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PACS: %1. Patient details travel only between this computer and the PACS.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Doe^Jane or Doe*</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>20260101 or 20260101-20261231</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Study date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Modalities</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Series</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Modality</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retrieve and open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Studies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Series of the selected study</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n studies found.</source>
        <translation>
            <numerusform>%n study found.</numerusform>
            <numerusform>%n studies found.</numerusform>
        </translation>
    </message>
    <message>
        <source>Set a PACS first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retrieving series %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Received %1 of %2 images.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nesa::ui::SendDialog</name>
    <message>
        <source>Send NES</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. 2.5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confirm and send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amount (NES)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The balance does not cover the total: nothing can be sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent. Transaction %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The amount must be a positive number of NES, with at most six decimals.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing and sending…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stake NES</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unstake NES</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confirm and stake</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confirm and unstake</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stake is locked: it lets this account&apos;s miner serve jobs and weighs its votes. A proven wrong answer of the miner costs part of it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unstaked NES return to the balance after the unbonding period.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amount: %1
Balance: %2
Network fee: %3 (gas, paid in the chain&apos;s own currency)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The account cannot pay the network fee: nothing can be sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The recipient must be an address: 0x and 40 hexadecimal digits.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asking the chain for the fee…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nesa::ui::SettingsPage</name>
    <message>
        <source>the standard folder for this user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local network (everything on this computer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>host:port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every core</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Default privacy level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Miners of the local network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Threads this computer&apos;s miner may use</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock the wallet after inactivity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The network and the data folder change at the next start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jobs it computes at the same time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join the EVM network of this chain node:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>its deployment file (deployment.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Serve your other programs (OpenAI and Ollama compatible, on 127.0.0.1 only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>They need the token in the data folder&apos;s api-token file; queries are run, verified and paid like yours (docs/api.md).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local API</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Its port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PACS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Our AE title towards it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AET@HOST:PORT, e.g. ORTHANC@pacs.hospital.org:4242, or https://HOST/dicom-web</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The hospital&apos;s PACS for &quot;Open from PACS&quot; and &quot;Send result to PACS&quot;; over DICOM it must list our AE title among its DICOM modalities.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none: plain DICOM, or the system&apos;s authorities for https</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A PEM file of the certificates the PACS&apos;s certificate must chain to. Set, DICOM goes over TLS; a PACS whose certificate does not chain to them or does not name its host is refused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only for a PACS that asks for one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the private key of that certificate (PEM)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS: certificates it must chain to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS: our certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS: our private key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep a tamper-evident record of what is done with your data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An audit log in the data folder, encrypted with the wallet&apos;s passphrase: every analysis (who, when, which input by its digest, never its content, model, level, miners and cost), export, PACS transfer, wallet action and sign-in. They then happen only while the wallet is unlocked (docs/enterprise.md).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Required by the policy of %1: the audit log is kept whatever this setting says.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nesa::ui::ShareView</name>
    <message>
        <source>On this computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What one miner received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>After a run on the network, the data one miner received is shown here next to the original.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At the local level no miner received anything.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This run kept no copy of what the miners received.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The other miners got other shares, and only this computer can combine them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The middle slice of the first call&apos;s input. At level %1 the miner got numbers from %2 to %3; their correlation with the original is %4.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nesa::ui::SignInBar</name>
    <message>
        <source>Signing in did not work: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in as %1 until %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (ends soon)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sign-in of %1 has ended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not signed in: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not signed in at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finish signing in in your browser…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing out did not work: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nesa::ui::SliceViewer</name>
    <message>
        <source>Drop a scan, an image or a document to see it here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Axial</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coronal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sagittal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overlay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nesa::ui::WalletActivity</name>
    <message>
        <source>Block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>With</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Proposal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vote yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vote no</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Governance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The vote was refused: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlock the wallet to see its history and vote.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The history could not be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No transactions yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The proposals could not be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing and sending the vote…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opened in block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Miner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deposit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>closed, the rest refunded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sessions could not be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No payment sessions yet: an analysis on the network opens one with each miner it pays.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each session locks a deposit for one miner; verified answers are paid from it, and what is left returns when it ends.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your vote is recorded on chain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No proposals. NES holders vote on the network&apos;s parameters here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select an active proposal and vote. A vote weighs the NES the account had delegated when the vote opened (&apos;nesa gov delegate&apos; delegates them).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>open until %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expired: the rest returns after the settle window</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nesa::ui::WalletPage</name>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wallet passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Balance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Locked: enter the wallet&apos;s passphrase to see the balance and send.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the balance…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Locked after %n minute(s) without activity.</source>
        <translation>
            <numerusform>Locked after %n minute without activity.</numerusform>
            <numerusform>Locked after %n minutes without activity.</numerusform>
        </translation>
    </message>
    <message>
        <source>Stake…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unstake…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receive…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stake</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 staked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, %1 unbonding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receive NES</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Anyone can send NES to this address: show them the code or give them the address. It reveals no secret.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the address</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>privacy</name>
    <message>
        <source>On this computer only (local)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scrambled with your key (ee)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Secret shares (hss)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shares of scrambled data (hss-ee)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing leaves this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Miners compute on data scrambled with your secret key; someone who has the original public model can unscramble it, so this hides your data from eavesdroppers, not from the miners.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each miner sees only random-looking shares of your data; it stays hidden unless every miner of a query colludes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each miner sees only random-looking shares of data scrambled with your key. If every miner of a query colludes, they get the scrambled data, which someone who has the original public model can unscramble.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
