<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>AnalyzePage</name>
    <message>
        <source>The run was cancelled.</source>
        <translation>L&apos;analyse a été annulée.</translation>
    </message>
    <message>
        <source>The analysis stopped unexpectedly.</source>
        <translation>L&apos;analyse s&apos;est arrêtée de façon inattendue.</translation>
    </message>
    <message>
        <source>The analysis gave no readable result.</source>
        <translation>L&apos;analyse n&apos;a donné aucun résultat lisible.</translation>
    </message>
    <message>
        <source>the estimate failed</source>
        <translation>l&apos;estimation a échoué</translation>
    </message>
    <message>
        <source>%1 share jobs at up to %2 µNES; opening %3 payment sessions costs gas and locks a refundable deposit</source>
        <translation>%1 tâches de parts à %2 µNES au plus ; ouvrir %3 sessions de paiement coûte du gas et bloque un dépôt remboursable</translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <source>the audit log is locked</source>
        <translation>le journal d&apos;audit est verrouillé</translation>
    </message>
    <message>
        <source>the wallet&apos;s passphrase does not open the audit log</source>
        <translation>la phrase secrète du portefeuille n&apos;ouvre pas le journal d&apos;audit</translation>
    </message>
    <message>
        <source>there is no audit log on this computer yet: it starts with the first analysis after the audit log is turned on in Settings</source>
        <translation>il n&apos;y a pas encore de journal d&apos;audit sur cet ordinateur : il commence avec la première analyse après l&apos;activation du journal d&apos;audit dans les Réglages</translation>
    </message>
</context>
<context>
    <name>HistoryPage</name>
    <message>
        <source>the history is locked</source>
        <translation>l&apos;historique est verrouillé</translation>
    </message>
    <message>
        <source>the passphrase does not open the history</source>
        <translation>la phrase secrète n&apos;ouvre pas l&apos;historique</translation>
    </message>
    <message>
        <source>(input not kept: organisation&apos;s policy)</source>
        <translation>(entrée non conservée : politique de l’organisation)</translation>
    </message>
    <message>
        <source>(the run failed; its message is not kept: organisation&apos;s policy)</source>
        <translation>(l’analyse a échoué ; son message n’est pas conservé : politique de l’organisation)</translation>
    </message>
</context>
<context>
    <name>MinerPage</name>
    <message>
        <source>the miner command failed</source>
        <translation>la commande du mineur a échoué</translation>
    </message>
    <message>
        <source>the miner&apos;s status could not be read</source>
        <translation>l&apos;état du mineur n&apos;a pas pu être lu</translation>
    </message>
</context>
<context>
    <name>NetworkPage</name>
    <message>
        <source>the network&apos;s status could not be read</source>
        <translation>l&apos;état du réseau n&apos;a pas pu être lu</translation>
    </message>
    <message>
        <source>the chain command failed</source>
        <translation>la commande chain a échoué</translation>
    </message>
</context>
<context>
    <name>WalletPage</name>
    <message>
        <source>about %1, at most %2</source>
        <translation>environ %1, au plus %2</translation>
    </message>
    <message>
        <source>there is no wallet yet</source>
        <translation>il n&apos;y a pas encore de portefeuille</translation>
    </message>
    <message>
        <source>nothing was sent</source>
        <translation>rien n&apos;a été envoyé</translation>
    </message>
    <message>
        <source>review it first: nothing is sent without a quote</source>
        <translation>vérifiez-le d&apos;abord : rien n&apos;est envoyé sans devis</translation>
    </message>
    <message>
        <source>the network fee rose since the review (now at most %1): review it again; nothing was sent</source>
        <translation>les frais de réseau ont augmenté depuis la vérification (au plus %1 maintenant) : vérifiez à nouveau ; rien n&apos;a été envoyé</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Private AI on other people&apos;s GPUs, paid in NES.</source>
        <translation>L&apos;IA privée sur les GPU des autres, payée en NES.</translation>
    </message>
    <message>
        <source>Read settings from &lt;file&gt;.</source>
        <translation>Lire les réglages depuis &lt;file&gt;.</translation>
    </message>
    <message>
        <source>Interface language (en, fr).</source>
        <translation>Langue de l&apos;interface (en, fr).</translation>
    </message>
    <message>
        <source>Files to add to the list.</source>
        <translation>Fichiers à ajouter à la liste.</translation>
    </message>
    <message>
        <source>Nesa Desktop</source>
        <translation>Nesa Desktop</translation>
    </message>
    <message>
        <source>Open the first file and run &lt;model&gt; on it.</source>
        <translation>Ouvrir le premier fichier et y lancer &lt;model&gt;.</translation>
    </message>
    <message>
        <source>The privacy level for --run (default hss).</source>
        <translation>Le niveau de confidentialité pour --run (hss par défaut).</translation>
    </message>
    <message>
        <source>Show the first-run wizard even when a wallet exists (with --screenshot: save its recovery-phrase page and quit).</source>
        <translation>Montrer l&apos;assistant de premier démarrage même si un portefeuille existe (avec --screenshot : enregistrer sa page de phrase de récupération et quitter).</translation>
    </message>
    <message>
        <source>After --run, also save the &quot;What the miners saw&quot; tab as &lt;png&gt;.</source>
        <translation>Après --run, enregistrer aussi l&apos;onglet « Ce que les mineurs ont vu » sous &lt;png&gt;.</translation>
    </message>
    <message>
        <source>Save the window as &lt;png&gt; and quit: when --run ends, or once the --show page has its data.</source>
        <translation>Enregistrer la fenêtre sous &lt;png&gt; et quitter : à la fin de --run, ou dès que la page de --show a ses données.</translation>
    </message>
    <message>
        <source>Quit as soon as the main window is shown, printing how long after launch that was (start-up timing).</source>
        <translation>Quitter dès que la fenêtre principale est affichée, en indiquant combien de temps après le lancement (mesure du démarrage).</translation>
    </message>
    <message>
        <source>Open on &lt;page&gt; (analyze, wallet, miner, network, history, settings, audit; with --screenshot, pacs: the Open from PACS dialog).</source>
        <translation>Ouvrir sur &lt;page&gt; (analyze, wallet, miner, network, history, settings, audit ; avec --screenshot, pacs : la fenêtre Ouvrir depuis le PACS).</translation>
    </message>
</context>
<context>
    <name>nesa</name>
    <message>
        <source>%1 did not answer</source>
        <translation>%1 n&apos;a pas répondu</translation>
    </message>
</context>
<context>
    <name>nesa::app::LocalApiServer</name>
    <message>
        <source>Local API: stopped until the wallet is unlocked.</source>
        <translation>API locale : arrêtée jusqu&apos;au déverrouillage du portefeuille.</translation>
    </message>
    <message>
        <source>Local API: stopped.</source>
        <translation>API locale : arrêtée.</translation>
    </message>
    <message>
        <source>Local API: waits for the wallet to be unlocked.</source>
        <translation>API locale : attend le déverrouillage du portefeuille.</translation>
    </message>
    <message>
        <source>Local API on %1 (token in %2).</source>
        <translation>API locale sur %1 (jeton dans %2).</translation>
    </message>
    <message>
        <source>Local API: %1</source>
        <translation>API locale : %1</translation>
    </message>
    <message>
        <source>The local API stopped (exit code %1); its log is %2.</source>
        <translation>L&apos;API locale s&apos;est arrêtée (code de sortie %1) ; son journal est %2.</translation>
    </message>
    <message>
        <source>Local API: nesa-analyze could not be started.</source>
        <translation>API locale : nesa-analyze n&apos;a pas pu être lancé.</translation>
    </message>
</context>
<context>
    <name>nesa::app::LocalNetwork</name>
    <message>
        <source>The local network stopped (exit code %1); its log is %2.</source>
        <translation>Le réseau local s&apos;est arrêté (code de sortie %1) ; son journal est %2.</translation>
    </message>
    <message>
        <source>Starting the local network…</source>
        <translation>Démarrage du réseau local…</translation>
    </message>
    <message>
        <source>Local network: using the devnet already running on this computer.</source>
        <translation>Réseau local : utilisation du devnet qui tourne déjà sur cet ordinateur.</translation>
    </message>
    <message numerus="yes">
        <source>Local network ready: an EVM devnet and %n miner(s) on this computer.</source>
        <translation>
            <numerusform>Réseau local prêt : un devnet EVM et %n mineur sur cet ordinateur.</numerusform>
            <numerusform>Réseau local prêt : un devnet EVM et %n mineurs sur cet ordinateur.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>nesa::app::ProcessPacsBackend</name>
    <message>
        <source>The PACS did not answer.</source>
        <translation>Le PACS n&apos;a pas répondu.</translation>
    </message>
    <message>
        <source>Cannot make a private folder for the series.</source>
        <translation>Impossible de créer un dossier privé pour la série.</translation>
    </message>
    <message>
        <source>nesa pacs did not start.</source>
        <translation>nesa pacs n&apos;a pas démarré.</translation>
    </message>
    <message>
        <source>The transfer was cancelled.</source>
        <translation>Le transfert a été annulé.</translation>
    </message>
    <message>
        <source>The series could not be retrieved.</source>
        <translation>La série n&apos;a pas pu être récupérée.</translation>
    </message>
    <message>
        <source>The PACS did not store the result.</source>
        <translation>Le PACS n&apos;a pas enregistré le résultat.</translation>
    </message>
</context>
<context>
    <name>nesa::app::ProcessSignInBackend</name>
    <message>
        <source>someone</source>
        <translation>quelqu’un</translation>
    </message>
    <message>
        <source>the kept sign-in is damaged</source>
        <translation>la connexion conservée est endommagée</translation>
    </message>
    <message>
        <source>nesa login did not start</source>
        <translation>nesa login n’a pas démarré</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>annulé</translation>
    </message>
    <message>
        <source>nesa login failed</source>
        <translation>nesa login a échoué</translation>
    </message>
    <message>
        <source>nesa login --forget failed</source>
        <translation>nesa login --forget a échoué</translation>
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
    <name>nesa::ui::AnalyzePage</name>
    <message>
        <source>%1, %2 voxels of %3 × %4 × %5 mm</source>
        <translation>%1, %2 voxels de %3 × %4 × %5 mm</translation>
    </message>
    <message>
        <source>%1 image, %2 × %3 pixels</source>
        <translation>image %1, %2 × %3 pixels</translation>
    </message>
    <message numerus="yes">
        <source>%1 document, %n character(s)</source>
        <translation>
            <numerusform>document %1, %n caractère</numerusform>
            <numerusform>document %1, %n caractères</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 is not a scan, an image or a document this app can read.</source>
        <translation>%1 n&apos;est ni un examen, ni une image, ni un document que cette application sait lire.</translation>
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
        <source>Run</source>
        <translation>Lancer</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Save report…</source>
        <translation>Enregistrer le rapport…</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <source>Privacy</source>
        <translation>Confidentialité</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Coût</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <source>Add files</source>
        <translation>Ajouter des fichiers</translation>
    </message>
    <message>
        <source>Scans, images and documents (*.dcm *.nii *.nii.gz *.png *.jpg *.jpeg *.tif *.tiff *.bmp *.pdf *.docx *.txt *.md);;All files (*)</source>
        <translation>Examens, images et documents (*.dcm *.nii *.nii.gz *.png *.jpg *.jpeg *.tif *.tiff *.bmp *.pdf *.docx *.txt *.md);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Annulation…</translation>
    </message>
    <message>
        <source>Opening %1…</source>
        <translation>Ouverture de %1…</translation>
    </message>
    <message numerus="yes">
        <source>Patient details (%n attribute(s)) stay on this computer: they are never sent.</source>
        <translation>
            <numerusform>Les données du patient (%n attribut) restent sur cet ordinateur : elles ne sont jamais envoyées.</numerusform>
            <numerusform>Les données du patient (%n attributs) restent sur cet ordinateur : elles ne sont jamais envoyées.</numerusform>
        </translation>
    </message>
    <message>
        <source>Add a file first.</source>
        <translation>Ajoutez d&apos;abord un fichier.</translation>
    </message>
    <message>
        <source>No installed model takes this kind of input.</source>
        <translation>Aucun modèle installé ne prend ce type de fichier.</translation>
    </message>
    <message>
        <source>Free: nothing leaves this computer.</source>
        <translation>Gratuit : rien ne quitte cet ordinateur.</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Démarrage…</translation>
    </message>
    <message>
        <source>Call %1 of %2: %3</source>
        <translation>Appel %1 sur %2 : %3</translation>
    </message>
    <message>
        <source>The run was cancelled.</source>
        <translation>L&apos;analyse a été annulée.</translation>
    </message>
    <message>
        <source>Done.</source>
        <translation>Terminé.</translation>
    </message>
    <message numerus="yes">
        <source>Verified: %n miner(s) answered, every check passed (%1).</source>
        <translation>
            <numerusform>Vérifié : %n mineur a répondu, tous les contrôles sont passés (%1).</numerusform>
            <numerusform>Vérifié : %n mineurs ont répondu, tous les contrôles sont passés (%1).</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 check(s) failed; the wrong answers were replaced and reported.</source>
        <translation>%1 contrôle(s) en échec ; les réponses fausses ont été remplacées et signalées.</translation>
    </message>
    <message>
        <source>Save report</source>
        <translation>Enregistrer le rapport</translation>
    </message>
    <message>
        <source>Text files (*.txt)</source>
        <translation>Fichiers texte (*.txt)</translation>
    </message>
    <message>
        <source>The report could not be saved to %1.</source>
        <translation>Le rapport n&apos;a pas pu être enregistré dans %1.</translation>
    </message>
    <message>
        <source>Paid %1 NES for the verified answers.</source>
        <translation>%1 NES payés pour les réponses vérifiées.</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>Entrée</translation>
    </message>
    <message>
        <source>What the miners saw</source>
        <translation>Ce que les mineurs ont vu</translation>
    </message>
    <message>
        <source>Estimating the cost…</source>
        <translation>Estimation du coût…</translation>
    </message>
    <message>
        <source>Not estimated: %1</source>
        <translation>Non estimé : %1</translation>
    </message>
    <message>
        <source>About %1 NES, paid only for verified answers</source>
        <translation>Environ %1 NES, payés seulement pour les réponses vérifiées</translation>
    </message>
    <message>
        <source>Export output…</source>
        <translation>Exporter la sortie…</translation>
    </message>
    <message>
        <source>The model&apos;s output as a NumPy file (float32)</source>
        <translation>La sortie du modèle en fichier NumPy (float32)</translation>
    </message>
    <message>
        <source>Export output</source>
        <translation>Exporter la sortie</translation>
    </message>
    <message>
        <source>NumPy files (*.npy)</source>
        <translation>Fichiers NumPy (*.npy)</translation>
    </message>
    <message>
        <source>The output could not be exported to %1.</source>
        <translation>La sortie n&apos;a pas pu être exportée vers %1.</translation>
    </message>
    <message>
        <source>Open from PACS…</source>
        <translation>Ouvrir depuis le PACS…</translation>
    </message>
    <message>
        <source>Send result to PACS</source>
        <translation>Envoyer le résultat au PACS</translation>
    </message>
    <message>
        <source>Store the segmentation (DICOM SEG) and its volumes (DICOM SR) in the scan&apos;s study on the PACS</source>
        <translation>Enregistrer la segmentation (DICOM SEG) et ses volumes (DICOM SR) dans l&apos;étude de l&apos;examen sur le PACS</translation>
    </message>
    <message>
        <source>The segmentation and its volumes are stored in the scan&apos;s study on %1.</source>
        <translation>La segmentation et ses volumes sont enregistrés dans l&apos;étude de l&apos;examen sur %1.</translation>
    </message>
    <message>
        <source>No DICOM result: %1</source>
        <translation>Pas de résultat DICOM : %1</translation>
    </message>
    <message>
        <source>Set a PACS first (Settings, or &apos;nesa config set pacsNode&apos;).</source>
        <translation>Indiquez d&apos;abord un PACS (Réglages, ou « nesa config set pacsNode »).</translation>
    </message>
    <message>
        <source>Sending to %1…</source>
        <translation>Envoi à %1…</translation>
    </message>
    <message>
        <source>The export is not on record in the audit log: %1</source>
        <translation>L’export n’est pas consigné dans le journal d’audit : %1</translation>
    </message>
    <message>
        <source>Nothing was written: the export cannot be recorded in the audit log: %1</source>
        <translation>Rien n’a été écrit : l’export ne peut pas être consigné dans le journal d’audit : %1</translation>
    </message>
</context>
<context>
    <name>nesa::ui::AuditPage</name>
    <message>
        <source>Record %1</source>
        <translation>Enregistrement %1</translation>
    </message>
    <message>
        <source>Time: %1</source>
        <translation>Heure : %1</translation>
    </message>
    <message>
        <source>Who: %1</source>
        <translation>Qui : %1</translation>
    </message>
    <message>
        <source>Action: %1</source>
        <translation>Action : %1</translation>
    </message>
    <message>
        <source>Subject: %1</source>
        <translation>Objet : %1</translation>
    </message>
    <message>
        <source>Outcome: %1</source>
        <translation>Résultat : %1</translation>
    </message>
    <message>
        <source>Details:</source>
        <translation>Détails :</translation>
    </message>
    <message>
        <source>All actions</source>
        <translation>Toutes les actions</translation>
    </message>
    <message>
        <source>Anyone</source>
        <translation>Tout le monde</translation>
    </message>
    <message>
        <source>Any time</source>
        <translation>Toute période</translation>
    </message>
    <message>
        <source>Today (UTC)</source>
        <translation>Aujourd&apos;hui (UTC)</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>7 derniers jours</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>30 derniers jours</translation>
    </message>
    <message>
        <source>Search subjects, outcomes, details…</source>
        <translation>Chercher dans les objets, résultats, détails…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Actualiser</translation>
    </message>
    <message>
        <source>Verify the log</source>
        <translation>Vérifier le journal</translation>
    </message>
    <message>
        <source>Re-hash every record and check the signed checkpoints, as &apos;nesa audit verify&apos; does: an edited, deleted, reordered or truncated record, or an older copy of the log, is found.</source>
        <translation>Recalcule l&apos;empreinte de chaque enregistrement et vérifie les points de contrôle signés, comme &apos;nesa audit verify&apos; : un enregistrement modifié, supprimé, déplacé ou tronqué, ou une copie plus ancienne du journal, est détecté.</translation>
    </message>
    <message>
        <source>Time (UTC)</source>
        <translation>Heure (UTC)</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Qui</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Objet</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Résultat</translation>
    </message>
    <message numerus="yes">
        <source>The log is intact: %n record(s) re-hashed</source>
        <translation>
            <numerusform>Le journal est intact : %n enregistrement vérifié</numerusform>
            <numerusform>Le journal est intact : %n enregistrements vérifiés</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n signed checkpoint(s) checked.</source>
        <translation>
            <numerusform>, %n point de contrôle signé vérifié.</numerusform>
            <numerusform>, %n points de contrôle signés vérifiés.</numerusform>
        </translation>
    </message>
    <message>
        <source>The log is NOT intact:</source>
        <translation>Le journal n&apos;est PAS intact :</translation>
    </message>
    <message>
        <source>You may not read the audit trail: %1</source>
        <translation>Vous ne pouvez pas lire le journal d&apos;audit : %1</translation>
    </message>
    <message>
        <source>The audit trail could not be read: %1</source>
        <translation>Le journal d&apos;audit n&apos;a pas pu être lu : %1</translation>
    </message>
    <message>
        <source>The audit trail is kept encrypted with your wallet&apos;s passphrase: unlock the wallet to read it.</source>
        <translation>Le journal d&apos;audit est chiffré avec la phrase secrète de votre portefeuille : déverrouillez le portefeuille pour le lire.</translation>
    </message>
    <message numerus="yes">
        <source>%n record(s) shown, newest first.</source>
        <translation>
            <numerusform>%n enregistrement affiché, le plus récent en premier.</numerusform>
            <numerusform>%n enregistrements affichés, les plus récents en premier.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n more hidden by the search.</source>
        <translation>
            <numerusform>%n autre masqué par la recherche.</numerusform>
            <numerusform>%n autres masqués par la recherche.</numerusform>
        </translation>
    </message>
    <message>
        <source>Only the records of this user name, exactly as recorded.</source>
        <translation>Seulement les enregistrements de ce nom d&apos;utilisateur, tel qu&apos;il est enregistré.</translation>
    </message>
    <message>
        <source>The log could not be checked: %1</source>
        <translation>Le journal n&apos;a pas pu être vérifié : %1</translation>
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
            <numerusform>%n élément n&apos;était pas un fichier de cet ordinateur et a été ignoré.</numerusform>
            <numerusform>%n éléments n&apos;étaient pas des fichiers de cet ordinateur et ont été ignorés.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) no longer exist and were skipped.</source>
        <translation>
            <numerusform>%n fichier n&apos;existe plus et a été ignoré.</numerusform>
            <numerusform>%n fichiers n&apos;existent plus et ont été ignorés.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>nesa::ui::FirstRunWizard</name>
    <message>
        <source>Nesa Desktop: first start</source>
        <translation>Nesa Desktop : premier démarrage</translation>
    </message>
    <message>
        <source>Next &gt;</source>
        <translation>Suivant &gt;</translation>
    </message>
    <message>
        <source>&lt; Back</source>
        <translation>&lt; Précédent</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>Terminer</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Your wallet</source>
        <translation>Votre portefeuille</translation>
    </message>
    <message>
        <source>The wallet pays miners for your analyses and receives what your miner earns. Its keys stay on this computer, in an encrypted file.</source>
        <translation>Le portefeuille paie les mineurs pour vos analyses et reçoit ce que gagne votre mineur. Ses clés restent sur cet ordinateur, dans un fichier chiffré.</translation>
    </message>
    <message>
        <source>Create a new wallet</source>
        <translation>Créer un nouveau portefeuille</translation>
    </message>
    <message>
        <source>Restore a wallet from its recovery phrase</source>
        <translation>Restaurer un portefeuille depuis sa phrase de récupération</translation>
    </message>
    <message>
        <source>Your recovery phrase</source>
        <translation>Votre phrase de récupération</translation>
    </message>
    <message>
        <source>Write these 24 words down, in order, on paper. They are shown only once. Anyone who has them can spend your NES; without them a forgotten passphrase cannot be recovered.</source>
        <translation>Notez ces 24 mots sur papier, dans l&apos;ordre. Ils ne sont montrés qu&apos;une fois. Qui les possède peut dépenser vos NES ; sans eux, une phrase secrète oubliée est perdue.</translation>
    </message>
    <message>
        <source>I have written the 24 words down</source>
        <translation>J&apos;ai noté les 24 mots</translation>
    </message>
    <message>
        <source>No recovery phrase could be made on this computer.</source>
        <translation>Aucune phrase de récupération n&apos;a pu être créée sur cet ordinateur.</translation>
    </message>
    <message>
        <source>Prove the backup</source>
        <translation>Prouver la sauvegarde</translation>
    </message>
    <message>
        <source>Type the words at these three positions, from your paper.</source>
        <translation>Tapez les mots à ces trois positions, d&apos;après votre papier.</translation>
    </message>
    <message>
        <source>Word #%1</source>
        <translation>Mot n° %1</translation>
    </message>
    <message>
        <source>Word #%1 does not match. Check your paper; if the words were not written down, cancel and start again for a new phrase.</source>
        <translation>Le mot n° %1 ne correspond pas. Vérifiez votre papier ; si les mots n&apos;ont pas été notés, annulez et recommencez pour une nouvelle phrase.</translation>
    </message>
    <message>
        <source>Restore a wallet</source>
        <translation>Restaurer un portefeuille</translation>
    </message>
    <message>
        <source>Type the recovery phrase (12 to 24 words, in order, separated by spaces).</source>
        <translation>Tapez la phrase de récupération (12 à 24 mots, dans l&apos;ordre, séparés par des espaces).</translation>
    </message>
    <message>
        <source>This is not a valid recovery phrase: %1</source>
        <translation>Ce n&apos;est pas une phrase de récupération valide : %1</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>Phrase secrète</translation>
    </message>
    <message>
        <source>The passphrase locks the wallet file and the history of your analyses on this computer. At least 8 characters.</source>
        <translation>La phrase secrète verrouille le fichier du portefeuille et l&apos;historique de vos analyses sur cet ordinateur. Au moins 8 caractères.</translation>
    </message>
    <message>
        <source>Repeat it</source>
        <translation>Répétez-la</translation>
    </message>
    <message>
        <source>The passphrase needs at least 8 characters.</source>
        <translation>La phrase secrète doit compter au moins 8 caractères.</translation>
    </message>
    <message>
        <source>The two passphrases differ.</source>
        <translation>Les deux phrases secrètes diffèrent.</translation>
    </message>
    <message>
        <source>The wallet could not be created: %1</source>
        <translation>Le portefeuille n&apos;a pas pu être créé : %1</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>Réseau</translation>
    </message>
    <message>
        <source>Local network (everything on this computer)</source>
        <translation>Réseau local (tout sur cet ordinateur)</translation>
    </message>
    <message>
        <source>The settings could not be saved: %1</source>
        <translation>Les réglages n&apos;ont pas pu être enregistrés : %1</translation>
    </message>
    <message>
        <source>Where your analyses go. The local network runs a chain node, the Nesa contracts and miners on this computer: nothing leaves it, and the demo wallet pays. Joining a network sends encrypted shares to other people&apos;s miners and pays them from your wallet.</source>
        <translation>Où vont vos analyses. Le réseau local fait tourner un nœud de chaîne, les contrats Nesa et des mineurs sur cet ordinateur : rien n&apos;en sort, et le portefeuille de démonstration paie. Rejoindre un réseau envoie des parts chiffrées aux mineurs d&apos;autres personnes et les paie depuis votre portefeuille.</translation>
    </message>
    <message>
        <source>Join the EVM network of this chain node:</source>
        <translation>Rejoindre le réseau EVM de ce nœud de chaîne :</translation>
    </message>
    <message>
        <source>its deployment file (deployment.json)</source>
        <translation>son fichier de déploiement (deployment.json)</translation>
    </message>
</context>
<context>
    <name>nesa::ui::HistoryPage</name>
    <message>
        <source>File: %1</source>
        <translation>Fichier : %1</translation>
    </message>
    <message>
        <source>Model: %1</source>
        <translation>Modèle : %1</translation>
    </message>
    <message>
        <source>Privacy: %1</source>
        <translation>Confidentialité : %1</translation>
    </message>
    <message>
        <source>Finished: %1</source>
        <translation>Terminée : %1</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Échec : %1</translation>
    </message>
    <message>
        <source>Miners: %1</source>
        <translation>Mineurs : %1</translation>
    </message>
    <message>
        <source>Search files, models, results…</source>
        <translation>Chercher fichiers, modèles, résultats…</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>Supprimer…</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Terminée</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Fichier</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <source>Privacy</source>
        <translation>Confidentialité</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <source>The history could not be used: %1</source>
        <translation>L&apos;historique n&apos;a pas pu être utilisé : %1</translation>
    </message>
    <message>
        <source>The history is kept encrypted with your wallet&apos;s passphrase: unlock the wallet to see it.</source>
        <translation>L&apos;historique est chiffré avec la phrase secrète de votre portefeuille : déverrouillez le portefeuille pour le voir.</translation>
    </message>
    <message numerus="yes">
        <source>%n analysis record(s) in the history, kept only in its encrypted store.</source>
        <translation>
            <numerusform>%n analyse dans l&apos;historique, conservée uniquement dans son stockage chiffré.</numerusform>
            <numerusform>%n analyses dans l&apos;historique, conservées uniquement dans son stockage chiffré.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n analysis record(s) will be saved when the history opens.</source>
        <translation>
            <numerusform>%n analyse sera enregistrée à l&apos;ouverture de l&apos;historique.</numerusform>
            <numerusform>%n analyses seront enregistrées à l&apos;ouverture de l&apos;historique.</numerusform>
        </translation>
    </message>
    <message>
        <source>failed: %1</source>
        <translation>échec : %1</translation>
    </message>
    <message>
        <source>Delete analysis</source>
        <translation>Supprimer l&apos;analyse</translation>
    </message>
    <message>
        <source>Delete the analysis of %1 from the history for good?</source>
        <translation>Supprimer définitivement l&apos;analyse de %1 de l&apos;historique ?</translation>
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
        <source>Network: joining %1</source>
        <translation>Réseau : connexion à %1</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) ready</source>
        <translation>
            <numerusform>%n fichier prêt</numerusform>
            <numerusform>%n fichiers prêts</numerusform>
        </translation>
    </message>
    <message>
        <source>Analyze</source>
        <translation>Analyser</translation>
    </message>
    <message>
        <source>Wallet</source>
        <translation>Portefeuille</translation>
    </message>
    <message>
        <source>Miner</source>
        <translation>Mineur</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>Réseau</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Réglages</translation>
    </message>
    <message>
        <source>The language changes at the next start: a file is opening or a run is going on.</source>
        <translation>La langue changera au prochain démarrage : un fichier s&apos;ouvre ou une analyse est en cours.</translation>
    </message>
    <message numerus="yes">
        <source>Network: local (everything on this computer), %n local miner(s)</source>
        <translation>
            <numerusform>Réseau : local (tout sur cet ordinateur), %n mineur local</numerusform>
            <numerusform>Réseau : local (tout sur cet ordinateur), %n mineurs locaux</numerusform>
        </translation>
    </message>
    <message>
        <source>History</source>
        <translation>Historique</translation>
    </message>
    <message>
        <source>The miner&apos;s choices were not saved: %1</source>
        <translation>Les choix du mineur n&apos;ont pas été enregistrés : %1</translation>
    </message>
    <message>
        <source>Stopping the miner…</source>
        <translation>Arrêt du mineur…</translation>
    </message>
    <message>
        <source>The miner keeps serving. Open Nesa Desktop from this icon.</source>
        <translation>Le mineur continue de servir. Ouvrez Nesa Desktop depuis cette icône.</translation>
    </message>
    <message>
        <source>Drop MRI scans (DICOM, NIfTI), images or documents (PDF, DOCX, TXT, MD) below. Files are read on this computer; what leaves it depends on the privacy level: nothing at local, data scrambled with your key at ee, random-looking shares at hss.</source>
        <translation>Déposez ci-dessous des IRM (DICOM, NIfTI), des images ou des documents (PDF, DOCX, TXT, MD). Les fichiers sont lus sur cet ordinateur ; ce qui en sort dépend du niveau de confidentialité : rien en local, des données brouillées avec votre clé en ee, des parts d&apos;apparence aléatoire en hss.</translation>
    </message>
    <message>
        <source>Audit</source>
        <translation>Audit</translation>
    </message>
</context>
<context>
    <name>nesa::ui::MinerPage</name>
    <message>
        <source>The miner is off: this computer earns nothing and lends nothing.</source>
        <translation>Le mineur est arrêté : cet ordinateur ne gagne rien et ne prête rien.</translation>
    </message>
    <message>
        <source>The miner runs but does not answer: %1</source>
        <translation>Le mineur tourne mais ne répond pas : %1</translation>
    </message>
    <message>
        <source>Jobs served without pay so far: the clients&apos; sessions have not paid for them yet.</source>
        <translation>Tâches servies sans paiement pour l&apos;instant : les sessions des clients ne les ont pas encore payées.</translation>
    </message>
    <message>
        <source>Earning: verified answers are paid from the clients&apos; sessions.</source>
        <translation>Gains en cours : les réponses vérifiées sont payées par les sessions des clients.</translation>
    </message>
    <message>
        <source>Turn the miner on</source>
        <translation>Démarrer le mineur</translation>
    </message>
    <message>
        <source>every core</source>
        <translation>tous les cœurs</translation>
    </message>
    <message>
        <source>Earned while this window watched (NES)</source>
        <translation>Gagné pendant que cette fenêtre regardait (NES)</translation>
    </message>
    <message>
        <source>minutes</source>
        <translation>minutes</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>Fils</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>Tâches</translation>
    </message>
    <message>
        <source>Recent events</source>
        <translation>Événements récents</translation>
    </message>
    <message>
        <source>Could not switch the miner: %1</source>
        <translation>Impossible de basculer le mineur : %1</translation>
    </message>
    <message>
        <source>Starting the miner…</source>
        <translation>Démarrage du mineur…</translation>
    </message>
    <message>
        <source>Stopping the miner…</source>
        <translation>Arrêt du mineur…</translation>
    </message>
    <message>
        <source>The miner is on.</source>
        <translation>Le mineur est démarré.</translation>
    </message>
    <message>
        <source>The miner is off.</source>
        <translation>Le mineur est arrêté.</translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) served</source>
        <translation>
            <numerusform>%n tâche servie</numerusform>
            <numerusform>%n tâches servies</numerusform>
        </translation>
    </message>
    <message>
        <source>Turn the miner off</source>
        <translation>Arrêter le mineur</translation>
    </message>
    <message>
        <source>on (%1)</source>
        <translation>démarré (%1)</translation>
    </message>
    <message>
        <source>off</source>
        <translation>arrêté</translation>
    </message>
    <message>
        <source>%1 served, %2 failed, %3 refused, %4 waiting; earned %5 (%6 settled)</source>
        <translation>%1 servies, %2 en échec, %3 refusées, %4 en attente ; gagné %5 (%6 réglés)</translation>
    </message>
    <message>
        <source>Paused: other programs are keeping this computer busy, and the miner serves only while it is idle.</source>
        <translation>En pause : d&apos;autres programmes occupent cet ordinateur, et le mineur ne sert que lorsqu&apos;il est inactif.</translation>
    </message>
    <message>
        <source>Automatic (a GPU when there is one)</source>
        <translation>Automatique (un GPU s&apos;il y en a un)</translation>
    </message>
    <message>
        <source>Processor (CPU)</source>
        <translation>Processeur (CPU)</translation>
    </message>
    <message>
        <source>GPU: looking for one…</source>
        <translation>GPU : recherche…</translation>
    </message>
    <message>
        <source>Only while this computer is idle</source>
        <translation>Seulement quand cet ordinateur est inactif</translation>
    </message>
    <message>
        <source>Keep mining when the window closes</source>
        <translation>Continuer à miner quand la fenêtre se ferme</translation>
    </message>
    <message>
        <source>Compute on</source>
        <translation>Calculer sur</translation>
    </message>
    <message>
        <source>GPU: none found on this computer</source>
        <translation>GPU : aucun sur cet ordinateur</translation>
    </message>
    <message>
        <source>GPU %1</source>
        <translation>GPU %1</translation>
    </message>
    <message>
        <source>Paused: this computer is busy.</source>
        <translation>En pause : cet ordinateur est occupé.</translation>
    </message>
    <message>
        <source>Serving again: this computer is idle.</source>
        <translation>Reprise : cet ordinateur est inactif.</translation>
    </message>
    <message>
        <source>paused (%1)</source>
        <translation>en pause (%1)</translation>
    </message>
    <message>
        <source>How many jobs the miner computes at the same time: with a GPU, how much of it the miner takes at once</source>
        <translation>Combien de tâches le mineur calcule à la fois : avec un GPU, la part qu&apos;il en prend à la fois</translation>
    </message>
    <message>
        <source>Jobs at a time</source>
        <translation>Tâches à la fois</translation>
    </message>
    <message>
        <source>Not earning: the miner&apos;s account %1 has no stake on chain yet. It needs the network&apos;s minimum stake in NES, and gas money.</source>
        <translation>Aucun gain : le compte %1 du mineur n&apos;a pas encore de mise sur la chaîne. Il lui faut la mise minimale du réseau en NES, et de quoi payer le gas.</translation>
    </message>
    <message>
        <source>Not earning yet: the registry contract has not listed this miner.</source>
        <translation>Pas encore de gain : le contrat de registre ne liste pas ce mineur.</translation>
    </message>
    <message>
        <source>On chain</source>
        <translation>Sur la chaîne</translation>
    </message>
    <message>
        <source>%1 staked, reputation %2</source>
        <translation>%1 en mise, réputation %2</translation>
    </message>
    <message>
        <source>not read from the chain yet</source>
        <translation>pas encore lu sur la chaîne</translation>
    </message>
    <message>
        <source>Waiting for work: no client has sent this miner a job yet (clients use the registry&apos;s miners up to the price they accept).</source>
        <translation>En attente de travail : aucun client n&apos;a encore envoyé de tâche à ce mineur (les clients prennent les mineurs du registre jusqu&apos;au prix qu&apos;ils acceptent).</translation>
    </message>
</context>
<context>
    <name>nesa::ui::MinerTray</name>
    <message>
        <source>Nesa Desktop · miner: %1</source>
        <translation>Nesa Desktop · mineur : %1</translation>
    </message>
    <message>
        <source>Open Nesa Desktop</source>
        <translation>Ouvrir Nesa Desktop</translation>
    </message>
    <message>
        <source>Turn the miner off</source>
        <translation>Arrêter le mineur</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
    <message>
        <source>Nesa Desktop</source>
        <translation>Nesa Desktop</translation>
    </message>
</context>
<context>
    <name>nesa::ui::NetworkPage</name>
    <message>
        <source>%1 µNES per job</source>
        <translation>%1 µNES par tâche</translation>
    </message>
    <message>
        <source>no answer</source>
        <translation>pas de réponse</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Actualiser</translation>
    </message>
    <message>
        <source>Miner</source>
        <translation>Mineur</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>Compute</source>
        <translation>Calcul</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>Prix</translation>
    </message>
    <message>
        <source>Stake</source>
        <translation>Mise</translation>
    </message>
    <message>
        <source>Reputation</source>
        <translation>Réputation</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Latence</translation>
    </message>
    <message>
        <source>Jobs served</source>
        <translation>Tâches servies</translation>
    </message>
    <message>
        <source> + %1 µNES per MiB</source>
        <translation> + %1 µNES par Mio</translation>
    </message>
    <message>
        <source>Reading the network&apos;s status…</source>
        <translation>Lecture de l&apos;état du réseau…</translation>
    </message>
    <message>
        <source>The network cannot be reached: %1</source>
        <translation>Le réseau est injoignable : %1</translation>
    </message>
    <message numerus="yes">
        <source>Chain node %1 · %2 of %n registered miner(s) answering</source>
        <translation>
            <numerusform>Nœud de la chaîne %1 · %2 sur %n mineur inscrit répond</numerusform>
            <numerusform>Nœud de la chaîne %1 · %2 sur %n mineurs inscrits répondent</numerusform>
        </translation>
    </message>
    <message>
        <source>Clients use the miners the registry contract lists, up to the price they accept. Reputation rises with verified, paid work and falls with wrong answers a jury confirmed, which also cost stake. Latency is one status round trip from this computer.</source>
        <translation>Les clients prennent les mineurs que liste le contrat de registre, jusqu&apos;au prix qu&apos;ils acceptent. La réputation monte avec le travail vérifié et payé et baisse avec les mauvaises réponses confirmées par un jury, qui coûtent aussi de la mise. La latence est un aller-retour d&apos;état depuis cet ordinateur.</translation>
    </message>
</context>
<context>
    <name>nesa::ui::OpenFromPacsDialog</name>
    <message>
        <source>Open from PACS</source>
        <translation>Ouvrir depuis le PACS</translation>
    </message>
    <message>
        <source>No PACS is set. Set one in Settings (PACS), or with &apos;nesa config set pacsNode AET@HOST:PORT&apos;.</source>
        <translation>Aucun PACS n&apos;est indiqué. Indiquez-en un dans les Réglages (PACS), ou avec « nesa config set pacsNode AET@HÔTE:PORT ».</translation>
    </message>
    <message>
        <source>PACS: %1. Patient details travel only between this computer and the PACS.</source>
        <translation>PACS : %1. Les données du patient ne circulent qu&apos;entre cet ordinateur et le PACS.</translation>
    </message>
    <message>
        <source>Doe^Jane or Doe*</source>
        <translation>Dupont^Jeanne ou Dupont*</translation>
    </message>
    <message>
        <source>20260101 or 20260101-20261231</source>
        <translation>20260101 ou 20260101-20261231</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Rechercher</translation>
    </message>
    <message>
        <source>Patient name</source>
        <translation>Nom du patient</translation>
    </message>
    <message>
        <source>Patient ID</source>
        <translation>Identifiant du patient</translation>
    </message>
    <message>
        <source>Study date</source>
        <translation>Date de l&apos;étude</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <source>Modalities</source>
        <translation>Modalités</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>Series</source>
        <translation>Série</translation>
    </message>
    <message>
        <source>Modality</source>
        <translation>Modalité</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>Images</translation>
    </message>
    <message>
        <source>Retrieve and open</source>
        <translation>Récupérer et ouvrir</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Studies</source>
        <translation>Études</translation>
    </message>
    <message>
        <source>Series of the selected study</source>
        <translation>Séries de l&apos;étude choisie</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Annulation…</translation>
    </message>
    <message numerus="yes">
        <source>%n studies found.</source>
        <translation>
            <numerusform>%n étude trouvée.</numerusform>
            <numerusform>%n études trouvées.</numerusform>
        </translation>
    </message>
    <message>
        <source>Set a PACS first.</source>
        <translation>Indiquez d&apos;abord un PACS.</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Recherche…</translation>
    </message>
    <message>
        <source>Retrieving series %1…</source>
        <translation>Récupération de la série %1…</translation>
    </message>
    <message>
        <source>Received %1 of %2 images.</source>
        <translation>%1 images reçues sur %2.</translation>
    </message>
</context>
<context>
    <name>nesa::ui::SendDialog</name>
    <message>
        <source>Send NES</source>
        <translation>Envoyer des NES</translation>
    </message>
    <message>
        <source>e.g. 2.5</source>
        <translation>p. ex. 2,5</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>Vérifier</translation>
    </message>
    <message>
        <source>Confirm and send</source>
        <translation>Confirmer et envoyer</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>To</source>
        <translation>À</translation>
    </message>
    <message>
        <source>Amount (NES)</source>
        <translation>Montant (NES)</translation>
    </message>
    <message>
        <source>The balance does not cover the total: nothing can be sent.</source>
        <translation>Le solde ne couvre pas le total : rien ne peut être envoyé.</translation>
    </message>
    <message>
        <source>Sent. Transaction %1</source>
        <translation>Envoyé. Transaction %1</translation>
    </message>
    <message>
        <source>The amount must be a positive number of NES, with at most six decimals.</source>
        <translation>Le montant doit être un nombre positif de NES, avec au plus six décimales.</translation>
    </message>
    <message>
        <source>Signing and sending…</source>
        <translation>Signature et envoi…</translation>
    </message>
    <message>
        <source>Stake NES</source>
        <translation>Miser des NES</translation>
    </message>
    <message>
        <source>Unstake NES</source>
        <translation>Retirer une mise</translation>
    </message>
    <message>
        <source>Confirm and stake</source>
        <translation>Confirmer et miser</translation>
    </message>
    <message>
        <source>Confirm and unstake</source>
        <translation>Confirmer et retirer</translation>
    </message>
    <message>
        <source>Stake is locked: it lets this account&apos;s miner serve jobs and weighs its votes. A proven wrong answer of the miner costs part of it.</source>
        <translation>La mise est bloquée : elle permet au mineur de ce compte de servir des tâches et donne du poids à ses votes. Une mauvaise réponse prouvée du mineur en coûte une partie.</translation>
    </message>
    <message>
        <source>Unstaked NES return to the balance after the unbonding period.</source>
        <translation>Les NES retirés reviennent au solde après la période de déblocage.</translation>
    </message>
    <message>
        <source>Amount: %1
Balance: %2
Network fee: %3 (gas, paid in the chain&apos;s own currency)</source>
        <translation>Montant : %1
Solde : %2
Frais de réseau : %3 (gas, payé dans la monnaie propre de la chaîne)</translation>
    </message>
    <message>
        <source>The account cannot pay the network fee: nothing can be sent.</source>
        <translation>Le compte ne peut pas payer les frais de réseau : rien ne peut être envoyé.</translation>
    </message>
    <message>
        <source>The recipient must be an address: 0x and 40 hexadecimal digits.</source>
        <translation>Le destinataire doit être une adresse : 0x et 40 chiffres hexadécimaux.</translation>
    </message>
    <message>
        <source>Asking the chain for the fee…</source>
        <translation>Demande des frais à la chaîne…</translation>
    </message>
</context>
<context>
    <name>nesa::ui::SettingsPage</name>
    <message>
        <source>the standard folder for this user</source>
        <translation>le dossier habituel de cet utilisateur</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Choisir…</translation>
    </message>
    <message>
        <source>Local network (everything on this computer)</source>
        <translation>Réseau local (tout sur cet ordinateur)</translation>
    </message>
    <message>
        <source>host:port</source>
        <translation>hôte:port</translation>
    </message>
    <message>
        <source>every core</source>
        <translation>tous les cœurs</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>never</source>
        <translation>jamais</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Enregistrer</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>Dossier des données</translation>
    </message>
    <message>
        <source>Default privacy level</source>
        <translation>Niveau de confidentialité par défaut</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>Réseau</translation>
    </message>
    <message>
        <source>Miners of the local network</source>
        <translation>Mineurs du réseau local</translation>
    </message>
    <message>
        <source>Threads this computer&apos;s miner may use</source>
        <translation>Threads que le mineur de cet ordinateur peut utiliser</translation>
    </message>
    <message>
        <source>Lock the wallet after inactivity</source>
        <translation>Verrouiller le portefeuille après inactivité</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>Non enregistré : %1</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Enregistré.</translation>
    </message>
    <message>
        <source>The network and the data folder change at the next start.</source>
        <translation>Le réseau et le dossier des données changeront au prochain démarrage.</translation>
    </message>
    <message>
        <source>Jobs it computes at the same time</source>
        <translation>Tâches qu&apos;il calcule à la fois</translation>
    </message>
    <message>
        <source>Join the EVM network of this chain node:</source>
        <translation>Rejoindre le réseau EVM de ce nœud de chaîne :</translation>
    </message>
    <message>
        <source>its deployment file (deployment.json)</source>
        <translation>son fichier de déploiement (deployment.json)</translation>
    </message>
    <message>
        <source>Serve your other programs (OpenAI and Ollama compatible, on 127.0.0.1 only)</source>
        <translation>Servir vos autres programmes (compatible OpenAI et Ollama, sur 127.0.0.1 seulement)</translation>
    </message>
    <message>
        <source>They need the token in the data folder&apos;s api-token file; queries are run, verified and paid like yours (docs/api.md).</source>
        <translation>Il leur faut le jeton du fichier api-token du dossier de données ; leurs requêtes sont exécutées, vérifiées et payées comme les vôtres (docs/api.md).</translation>
    </message>
    <message>
        <source>Local API</source>
        <translation>API locale</translation>
    </message>
    <message>
        <source>Its port</source>
        <translation>Son port</translation>
    </message>
    <message>
        <source>PACS</source>
        <translation>PACS</translation>
    </message>
    <message>
        <source>Our AE title towards it</source>
        <translation>Notre titre AE auprès de lui</translation>
    </message>
    <message>
        <source>AET@HOST:PORT, e.g. ORTHANC@pacs.hospital.org:4242, or https://HOST/dicom-web</source>
        <translation>AET@HÔTE:PORT, par ex. ORTHANC@pacs.hopital.fr:4242, ou https://HÔTE/dicom-web</translation>
    </message>
    <message>
        <source>The hospital&apos;s PACS for &quot;Open from PACS&quot; and &quot;Send result to PACS&quot;; over DICOM it must list our AE title among its DICOM modalities.</source>
        <translation>Le PACS de l&apos;hôpital pour « Ouvrir depuis le PACS » et « Envoyer le résultat au PACS » ; en DICOM, il doit compter notre titre AE parmi ses modalités DICOM.</translation>
    </message>
    <message>
        <source>none: plain DICOM, or the system&apos;s authorities for https</source>
        <translation>aucun : DICOM en clair, ou les autorités du système pour https</translation>
    </message>
    <message>
        <source>A PEM file of the certificates the PACS&apos;s certificate must chain to. Set, DICOM goes over TLS; a PACS whose certificate does not chain to them or does not name its host is refused.</source>
        <translation>Un fichier PEM des certificats auxquels celui du PACS doit se rattacher. Renseigné, le DICOM passe par TLS ; un PACS dont le certificat ne s&apos;y rattache pas ou ne nomme pas son hôte est refusé.</translation>
    </message>
    <message>
        <source>only for a PACS that asks for one</source>
        <translation>seulement pour un PACS qui en demande un</translation>
    </message>
    <message>
        <source>the private key of that certificate (PEM)</source>
        <translation>la clé privée de ce certificat (PEM)</translation>
    </message>
    <message>
        <source>TLS: certificates it must chain to</source>
        <translation>TLS : certificats de confiance</translation>
    </message>
    <message>
        <source>TLS: our certificate</source>
        <translation>TLS : notre certificat</translation>
    </message>
    <message>
        <source>TLS: our private key</source>
        <translation>TLS : notre clé privée</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>Journal d&apos;audit</translation>
    </message>
    <message>
        <source>Keep a tamper-evident record of what is done with your data</source>
        <translation>Tenir un registre infalsifiable de ce qui est fait de vos données</translation>
    </message>
    <message>
        <source>An audit log in the data folder, encrypted with the wallet&apos;s passphrase: every analysis (who, when, which input by its digest, never its content, model, level, miners and cost), export, PACS transfer, wallet action and sign-in. They then happen only while the wallet is unlocked (docs/enterprise.md).</source>
        <translation>Un journal d’audit dans le dossier de données, chiffré avec la phrase secrète du portefeuille : chaque analyse (qui, quand, quelle entrée par son empreinte, jamais son contenu, modèle, niveau, mineurs et coût), export, transfert PACS, action du portefeuille et connexion. Elles n’ont alors lieu que portefeuille déverrouillé (docs/enterprise.md).</translation>
    </message>
    <message>
        <source>Required by the policy of %1: the audit log is kept whatever this setting says.</source>
        <translation>Exigé par la politique de %1 : le journal d’audit est tenu quel que soit ce réglage.</translation>
    </message>
</context>
<context>
    <name>nesa::ui::ShareView</name>
    <message>
        <source>On this computer</source>
        <translation>Sur cet ordinateur</translation>
    </message>
    <message>
        <source>What one miner received</source>
        <translation>Ce qu&apos;un mineur a reçu</translation>
    </message>
    <message>
        <source>After a run on the network, the data one miner received is shown here next to the original.</source>
        <translation>Après une analyse sur le réseau, les données reçues par un mineur s&apos;affichent ici à côté de l&apos;original.</translation>
    </message>
    <message>
        <source>At the local level no miner received anything.</source>
        <translation>Au niveau local, aucun mineur n&apos;a rien reçu.</translation>
    </message>
    <message>
        <source>This run kept no copy of what the miners received.</source>
        <translation>Cette analyse n&apos;a gardé aucune copie de ce que les mineurs ont reçu.</translation>
    </message>
    <message>
        <source>The other miners got other shares, and only this computer can combine them.</source>
        <translation>Les autres mineurs ont reçu d&apos;autres parts, et seul cet ordinateur peut les combiner.</translation>
    </message>
    <message>
        <source>The middle slice of the first call&apos;s input. At level %1 the miner got numbers from %2 to %3; their correlation with the original is %4.</source>
        <translation>La coupe du milieu de l&apos;entrée du premier appel. Au niveau %1, le mineur a reçu des nombres de %2 à %3 ; leur corrélation avec l&apos;original est de %4.</translation>
    </message>
</context>
<context>
    <name>nesa::ui::SignInBar</name>
    <message>
        <source>Signing in did not work: %1</source>
        <translation>La connexion n’a pas abouti : %1</translation>
    </message>
    <message>
        <source>Signed in as %1 until %2</source>
        <translation>Connecté en tant que %1 jusqu’à %2</translation>
    </message>
    <message>
        <source> (ends soon)</source>
        <translation> (se termine bientôt)</translation>
    </message>
    <message>
        <source>The sign-in of %1 has ended</source>
        <translation>La connexion de %1 a pris fin</translation>
    </message>
    <message>
        <source>Not signed in: %1</source>
        <translation>Non connecté : %1</translation>
    </message>
    <message>
        <source>Not signed in at %1</source>
        <translation>Non connecté à %1</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Se déconnecter</translation>
    </message>
    <message>
        <source>Sign in again</source>
        <translation>Se reconnecter</translation>
    </message>
    <message>
        <source>Sign in…</source>
        <translation>Se connecter…</translation>
    </message>
    <message>
        <source>Finish signing in in your browser…</source>
        <translation>Terminez la connexion dans votre navigateur…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Signing out did not work: %1</source>
        <translation>La déconnexion n’a pas abouti : %1</translation>
    </message>
</context>
<context>
    <name>nesa::ui::SliceViewer</name>
    <message>
        <source>Drop a scan, an image or a document to see it here.</source>
        <translation>Déposez un examen, une image ou un document pour le voir ici.</translation>
    </message>
    <message>
        <source>Axial</source>
        <translation>Axiale</translation>
    </message>
    <message>
        <source>Coronal</source>
        <translation>Coronale</translation>
    </message>
    <message>
        <source>Sagittal</source>
        <translation>Sagittale</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Niveau</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>Fenêtre</translation>
    </message>
    <message>
        <source>Overlay</source>
        <translation>Calque</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 sur %2</translation>
    </message>
</context>
<context>
    <name>nesa::ui::WalletActivity</name>
    <message>
        <source>Block</source>
        <translation>Bloc</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Quoi</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Montant</translation>
    </message>
    <message>
        <source>With</source>
        <translation>Avec</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Changement</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Oui</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Non</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Proposal</source>
        <translation>Proposition</translation>
    </message>
    <message>
        <source>Vote yes</source>
        <translation>Voter oui</translation>
    </message>
    <message>
        <source>Vote no</source>
        <translation>Voter non</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Historique</translation>
    </message>
    <message>
        <source>Governance</source>
        <translation>Gouvernance</translation>
    </message>
    <message>
        <source>The vote was refused: %1</source>
        <translation>Le vote a été refusé : %1</translation>
    </message>
    <message>
        <source>Unlock the wallet to see its history and vote.</source>
        <translation>Déverrouillez le portefeuille pour voir son historique et voter.</translation>
    </message>
    <message>
        <source>The history could not be read: %1</source>
        <translation>L&apos;historique n&apos;a pas pu être lu : %1</translation>
    </message>
    <message>
        <source>No transactions yet.</source>
        <translation>Aucune transaction pour l&apos;instant.</translation>
    </message>
    <message>
        <source>The proposals could not be read: %1</source>
        <translation>Les propositions n&apos;ont pas pu être lues : %1</translation>
    </message>
    <message>
        <source>Signing and sending the vote…</source>
        <translation>Signature et envoi du vote…</translation>
    </message>
    <message>
        <source>Opened in block</source>
        <translation>Ouverte au bloc</translation>
    </message>
    <message>
        <source>Miner</source>
        <translation>Mineur</translation>
    </message>
    <message>
        <source>Deposit</source>
        <translation>Dépôt</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>Payé</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>Sessions</translation>
    </message>
    <message>
        <source>closed, the rest refunded</source>
        <translation>fermée, le reste remboursé</translation>
    </message>
    <message>
        <source>The sessions could not be read: %1</source>
        <translation>Les sessions n&apos;ont pas pu être lues : %1</translation>
    </message>
    <message>
        <source>No payment sessions yet: an analysis on the network opens one with each miner it pays.</source>
        <translation>Aucune session de paiement pour l&apos;instant : une analyse sur le réseau en ouvre une avec chaque mineur qu&apos;elle paie.</translation>
    </message>
    <message>
        <source>Each session locks a deposit for one miner; verified answers are paid from it, and what is left returns when it ends.</source>
        <translation>Chaque session bloque un dépôt pour un mineur ; les réponses vérifiées y sont payées, et le reste revient à la fin.</translation>
    </message>
    <message>
        <source>Your vote is recorded on chain.</source>
        <translation>Votre vote est inscrit sur la chaîne.</translation>
    </message>
    <message>
        <source>No proposals. NES holders vote on the network&apos;s parameters here.</source>
        <translation>Aucune proposition. Les détenteurs de NES votent ici sur les paramètres du réseau.</translation>
    </message>
    <message>
        <source>Select an active proposal and vote. A vote weighs the NES the account had delegated when the vote opened (&apos;nesa gov delegate&apos; delegates them).</source>
        <translation>Choisissez une proposition active et votez. Un vote pèse les NES que le compte avait délégués à l&apos;ouverture du vote (&apos;nesa gov delegate&apos; les délègue).</translation>
    </message>
    <message>
        <source>open until %1</source>
        <translation>ouverte jusqu&apos;au %1</translation>
    </message>
    <message>
        <source>expired: the rest returns after the settle window</source>
        <translation>expirée : le reste revient après la fenêtre de règlement</translation>
    </message>
</context>
<context>
    <name>nesa::ui::WalletPage</name>
    <message>
        <source>Copy</source>
        <translation>Copier</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Actualiser</translation>
    </message>
    <message>
        <source>Wallet passphrase</source>
        <translation>Phrase secrète du portefeuille</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Déverrouiller</translation>
    </message>
    <message>
        <source>Send…</source>
        <translation>Envoyer…</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>Solde</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>Phrase secrète</translation>
    </message>
    <message>
        <source>Locked: enter the wallet&apos;s passphrase to see the balance and send.</source>
        <translation>Verrouillé : saisissez la phrase secrète du portefeuille pour voir le solde et envoyer.</translation>
    </message>
    <message>
        <source>Reading the balance…</source>
        <translation>Lecture du solde…</translation>
    </message>
    <message>
        <source>Lock</source>
        <translation>Verrouiller</translation>
    </message>
    <message numerus="yes">
        <source>Locked after %n minute(s) without activity.</source>
        <translation>
            <numerusform>Verrouillé après %n minute sans activité.</numerusform>
            <numerusform>Verrouillé après %n minutes sans activité.</numerusform>
        </translation>
    </message>
    <message>
        <source>Stake…</source>
        <translation>Miser…</translation>
    </message>
    <message>
        <source>Unstake…</source>
        <translation>Retirer…</translation>
    </message>
    <message>
        <source>Receive…</source>
        <translation>Recevoir…</translation>
    </message>
    <message>
        <source>Stake</source>
        <translation>Mise</translation>
    </message>
    <message>
        <source>%1 staked</source>
        <translation>%1 misés</translation>
    </message>
    <message>
        <source>, %1 unbonding</source>
        <translation>, %1 en déblocage</translation>
    </message>
    <message>
        <source>Receive NES</source>
        <translation>Recevoir des NES</translation>
    </message>
    <message>
        <source>Anyone can send NES to this address: show them the code or give them the address. It reveals no secret.</source>
        <translation>Tout le monde peut envoyer des NES à cette adresse : montrez le code ou donnez l&apos;adresse. Elle ne révèle aucun secret.</translation>
    </message>
    <message>
        <source>Copy the address</source>
        <translation>Copier l&apos;adresse</translation>
    </message>
</context>
<context>
    <name>privacy</name>
    <message>
        <source>On this computer only (local)</source>
        <translation>Sur cet ordinateur seulement (local)</translation>
    </message>
    <message>
        <source>Scrambled with your key (ee)</source>
        <translation>Brouillé avec votre clé (ee)</translation>
    </message>
    <message>
        <source>Secret shares (hss)</source>
        <translation>Parts secrètes (hss)</translation>
    </message>
    <message>
        <source>Shares of scrambled data (hss-ee)</source>
        <translation>Parts de données brouillées (hss-ee)</translation>
    </message>
    <message>
        <source>Nothing leaves this computer.</source>
        <translation>Rien ne quitte cet ordinateur.</translation>
    </message>
    <message>
        <source>Miners compute on data scrambled with your secret key; someone who has the original public model can unscramble it, so this hides your data from eavesdroppers, not from the miners.</source>
        <translation>Les mineurs calculent sur des données brouillées avec votre clé secrète ; qui possède le modèle public d&apos;origine peut les débrouiller : cela cache vos données aux oreilles indiscrètes, pas aux mineurs.</translation>
    </message>
    <message>
        <source>Each miner sees only random-looking shares of your data; it stays hidden unless every miner of a query colludes.</source>
        <translation>Chaque mineur ne voit que des parts d&apos;apparence aléatoire de vos données ; elles restent cachées sauf si tous les mineurs d&apos;une requête s&apos;entendent.</translation>
    </message>
    <message>
        <source>Each miner sees only random-looking shares of data scrambled with your key. If every miner of a query colludes, they get the scrambled data, which someone who has the original public model can unscramble.</source>
        <translation>Chaque mineur ne voit que des parts d&apos;apparence aléatoire de données brouillées avec votre clé. Si tous les mineurs d&apos;une requête s&apos;entendent, ils obtiennent les données brouillées, que quelqu&apos;un qui possède le modèle public d&apos;origine peut débrouiller.</translation>
    </message>
</context>
</TS>
