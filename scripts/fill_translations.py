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
    "Drop MRI scans (DICOM, NIfTI), images or documents (PDF, DOCX, TXT, MD) below. Files are "
    "read on this computer; what leaves it depends on the privacy level: nothing at local, data "
    "scrambled with your key at ee, random-looking shares at hss.":
        "Déposez ci-dessous des IRM (DICOM, NIfTI), des images ou des documents (PDF, DOCX, TXT, "
        "MD). Les fichiers sont lus sur cet ordinateur ; ce qui en sort dépend du niveau de "
        "confidentialité : rien en local, des données brouillées avec votre clé en ee, des parts "
        "d'apparence aléatoire en hss.",
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
    "Open the first file and run <model> on it.":
        "Ouvrir le premier fichier et y lancer <model>.",
    "The privacy level for --run (default hss).":
        "Le niveau de confidentialité pour --run (hss par défaut).",
    "Save the window as <png> and quit: when --run ends, or once the --show page has its data.":
        "Enregistrer la fenêtre sous <png> et quitter : à la fin de --run, ou dès que la page de "
        "--show a ses données.",
    # the analyze page and its viewer
    "Drop a scan, an image or a document to see it here.":
        "Déposez un examen, une image ou un document pour le voir ici.",
    "Axial": "Axiale",
    "Coronal": "Coronale",
    "Sagittal": "Sagittale",
    "Level": "Niveau",
    "Window": "Fenêtre",
    "Overlay": "Calque",
    "%1 of %2": "%1 sur %2",
    "%1, %2 voxels of %3 × %4 × %5 mm": "%1, %2 voxels de %3 × %4 × %5 mm",
    "%1 image, %2 × %3 pixels": "image %1, %2 × %3 pixels",
    "%1 document, %n character(s)": ("document %1, %n caractère", "document %1, %n caractères"),
    "%1 is not a scan, an image or a document this app can read.":
        "%1 n'est ni un examen, ni une image, ni un document que cette application sait lire.",
    "Run": "Lancer",
    "Cancel": "Annuler",
    "Save report…": "Enregistrer le rapport…",
    "Model": "Modèle",
    "Privacy": "Confidentialité",
    "Cost": "Coût",
    "Result": "Résultat",
    "Cancelling…": "Annulation…",
    "Opening %1…": "Ouverture de %1…",
    "Patient details (%n attribute(s)) stay on this computer: they are never sent.": (
        "Les données du patient (%n attribut) restent sur cet ordinateur : elles ne sont jamais "
        "envoyées.",
        "Les données du patient (%n attributs) restent sur cet ordinateur : elles ne sont jamais "
        "envoyées."),
    "Add a file first.": "Ajoutez d'abord un fichier.",
    "No installed model takes this kind of input.":
        "Aucun modèle installé ne prend ce type de fichier.",
    "Free: nothing leaves this computer.": "Gratuit : rien ne quitte cet ordinateur.",
    "Estimated when the run reaches the network.":
        "Estimé quand l'analyse atteint le réseau.",
    "About %1 NES": "Environ %1 NES",
    "Starting…": "Démarrage…",
    "Call %1 of %2: %3": "Appel %1 sur %2 : %3",
    "The run was cancelled.": "L'analyse a été annulée.",
    "Done.": "Terminé.",
    "Verified: %n miner(s) answered, every check passed (%1).": (
        "Vérifié : %n mineur a répondu, tous les contrôles sont passés (%1).",
        "Vérifié : %n mineurs ont répondu, tous les contrôles sont passés (%1)."),
    "%1 check(s) failed; the wrong answers were replaced and reported.":
        "%1 contrôle(s) en échec ; les réponses fausses ont été remplacées et signalées.",
    "Save report": "Enregistrer le rapport",
    "Text files (*.txt)": "Fichiers texte (*.txt)",
    "The report could not be saved to %1.": "Le rapport n'a pas pu être enregistré dans %1.",
    "nesa-analyze could not be started: %1": "nesa-analyze n'a pas pu démarrer : %1",
    "The analysis stopped unexpectedly.": "L'analyse s'est arrêtée de façon inattendue.",
    "The analysis gave no readable result.": "L'analyse n'a donné aucun résultat lisible.",
    "Paid %1 NES for the verified answers.": "%1 NES payés pour les réponses vérifiées.",
    "Analyze": "Analyser",
    "Wallet": "Portefeuille",
    # the wallet page
    "Send NES": "Envoyer des NES",
    "e.g. 2.5": "p. ex. 2,5",
    "Review": "Vérifier",
    "Confirm and send": "Confirmer et envoyer",
    "Close": "Fermer",
    "To": "À",
    "Amount (NES)": "Montant (NES)",
    "The balance does not cover the total: nothing can be sent.":
        "Le solde ne couvre pas le total : rien ne peut être envoyé.",
    "Sent. Transaction %1": "Envoyé. Transaction %1",
    "The amount must be a positive number of NES, with at most six decimals.":
        "Le montant doit être un nombre positif de NES, avec au plus six décimales.",
    "Signing and sending…": "Signature et envoi…",
    "Copy": "Copier",
    "Refresh": "Actualiser",
    "Wallet passphrase": "Phrase secrète du portefeuille",
    "Unlock": "Déverrouiller",
    "Lock": "Verrouiller",
    "Send…": "Envoyer…",
    "Address": "Adresse",
    "Balance": "Solde",
    "Passphrase": "Phrase secrète",
    "Reading the balance…": "Lecture du solde…",
    "Locked: enter the wallet's passphrase to see the balance and send.":
        "Verrouillé : saisissez la phrase secrète du portefeuille pour voir le solde et envoyer.",
    "the wallet command failed": "la commande du portefeuille a échoué",
    "the balance could not be read": "le solde n'a pas pu être lu",
    "Miner": "Mineur",
    # the miner page
    "The miner is off: this computer earns nothing and lends nothing.":
        "Le mineur est arrêté : cet ordinateur ne gagne rien et ne prête rien.",
    "The miner runs but does not answer: %1": "Le mineur tourne mais ne répond pas : %1",
    "Not earning: the miner's account has no stake on the ledger yet. Send it some NES so it can "
    "stake.":
        "Aucun gain : le compte du mineur n'a encore rien engagé sur le registre. Envoyez-lui des "
        "NES pour qu'il puisse en engager.",
    "Waiting for work: no client has sent this miner a job yet (clients use the registry's "
    "miners up to the price they accept).":
        "En attente de travail : aucun client n'a encore envoyé de tâche à ce mineur (les clients "
        "prennent les mineurs du registre jusqu'au prix qu'ils acceptent).",
    "Jobs served without pay so far: the clients' sessions have not paid for them yet.":
        "Tâches servies sans paiement pour l'instant : les sessions des clients ne les ont pas "
        "encore payées.",
    "Earning: verified answers are paid from the clients' sessions.":
        "Gains en cours : les réponses vérifiées sont payées par les sessions des clients.",
    "Turn the miner on": "Démarrer le mineur",
    "Turn the miner off": "Arrêter le mineur",
    "every core": "tous les cœurs",
    "Earned while this window watched (NES)": "Gagné pendant que cette fenêtre regardait (NES)",
    "minutes": "minutes",
    "Threads": "Fils",
    "State": "État",
    "Jobs": "Tâches",
    "Recent events": "Événements récents",
    "Could not switch the miner: %1": "Impossible de basculer le mineur : %1",
    "Starting the miner…": "Démarrage du mineur…",
    "Stopping the miner…": "Arrêt du mineur…",
    "The miner is on.": "Le mineur est démarré.",
    "The miner is off.": "Le mineur est arrêté.",
    "%n job(s) served": ("%n tâche servie", "%n tâches servies"),
    "on (%1)": "démarré (%1)",
    "off": "arrêté",
    "%1 served, %2 failed, %3 refused, %4 waiting; earned %5 (%6 settled)":
        "%1 servies, %2 en échec, %3 refusées, %4 en attente ; gagné %5 (%6 réglés)",
    "%1 did not answer": "%1 n'a pas répondu",
    "the miner command failed": "la commande du mineur a échoué",
    # the privacy levels (docs/privacy.md)
    "On this computer only (local)": "Sur cet ordinateur seulement (local)",
    "Scrambled with your key (ee)": "Brouillé avec votre clé (ee)",
    "Secret shares (hss)": "Parts secrètes (hss)",
    "Shares of scrambled data (hss-ee)": "Parts de données brouillées (hss-ee)",
    "Nothing leaves this computer.": "Rien ne quitte cet ordinateur.",
    "Miners compute on data scrambled with your secret key; someone who has the original public "
    "model can unscramble it, so this hides your data from eavesdroppers, not from the miners.":
        "Les mineurs calculent sur des données brouillées avec votre clé secrète ; qui possède le "
        "modèle public d'origine peut les débrouiller : cela cache vos données aux oreilles "
        "indiscrètes, pas aux mineurs.",
    "Each miner sees only random-looking shares of your data; it stays hidden unless every miner "
    "of a query colludes.":
        "Chaque mineur ne voit que des parts d'apparence aléatoire de vos données ; elles restent "
        "cachées sauf si tous les mineurs d'une requête s'entendent.",
    "Each miner sees only random-looking shares of data scrambled with your key. If every miner "
    "of a query colludes, they get the scrambled data, which someone who has the original public "
    "model can unscramble.":
        "Chaque mineur ne voit que des parts d'apparence aléatoire de données brouillées avec votre "
        "clé. Si tous les mineurs d'une requête s'entendent, ils obtiennent les données brouillées, "
        "que quelqu'un qui possède le modèle public d'origine peut débrouiller.",
    # The network page.
    "Network": "Réseau",
    "%1 µNES per job": "%1 µNES par tâche",
    "no answer": "pas de réponse",
    "%1 ms": "%1 ms",
    "Compute": "Calcul",
    "Price": "Prix",
    "Stake": "Mise",
    "Reputation": "Réputation",
    "Latency": "Latence",
    "Jobs served": "Tâches servies",
    "Clients use the miners the registry contract lists, up to the price they accept. Reputation "
    "rises with verified, paid work and falls with wrong answers a jury confirmed, which also "
    "cost stake. Latency is one status round trip from this computer.":
        "Les clients prennent les mineurs que liste le contrat de registre, jusqu'au prix qu'ils "
        "acceptent. La réputation monte avec le travail vérifié et payé et baisse avec les "
        "mauvaises réponses confirmées par un jury, qui coûtent aussi de la mise. La latence est "
        "un aller-retour d'état depuis cet ordinateur.",
    # The settings page, the runtime language switch, the auto-lock.
    "Settings": "Réglages",
    "The language changes at the next start: a file is opening or a run is going on.":
        "La langue changera au prochain démarrage : un fichier s'ouvre ou une analyse est en "
        "cours.",
    "Network: local (everything on this computer), %n local miner(s)": (
        "Réseau : local (tout sur cet ordinateur), %n mineur local",
        "Réseau : local (tout sur cet ordinateur), %n mineurs locaux"),
    "the standard folder for this user": "le dossier habituel de cet utilisateur",
    "Choose…": "Choisir…",
    "Local network (everything on this computer)": "Réseau local (tout sur cet ordinateur)",
    "Join a network at this node:": "Rejoindre un réseau par ce nœud :",
    "host:port": "hôte:port",
    " min": " min",
    "never": "jamais",
    "Save": "Enregistrer",
    "Language": "Langue",
    "Data folder": "Dossier des données",
    "Default privacy level": "Niveau de confidentialité par défaut",
    "Miners of the local network": "Mineurs du réseau local",
    "Threads this computer's miner may use": "Threads que le mineur de cet ordinateur peut utiliser",
    "Lock the wallet after inactivity": "Verrouiller le portefeuille après inactivité",
    "Not saved: %1": "Non enregistré : %1",
    "Saved.": "Enregistré.",
    "The network and the data folder change at the next start.":
        "Le réseau et le dossier des données changeront au prochain démarrage.",
    "Locked after %n minute(s) without activity.": (
        "Verrouillé après %n minute sans activité.", "Verrouillé après %n minutes sans activité."),
    # The history page.
    "Open on <page> (analyze, wallet, miner, network, history, settings).":
        "Ouvrir sur <page> (analyze, wallet, miner, network, history, settings).",
    "the history is locked": "l'historique est verrouillé",
    "the passphrase does not open the history": "la phrase secrète n'ouvre pas l'historique",
    "File: %1": "Fichier : %1",
    "Model: %1": "Modèle : %1",
    "Privacy: %1": "Confidentialité : %1",
    "Finished: %1": "Terminée : %1",
    "Failed: %1": "Échec : %1",
    "Miners: %1": "Mineurs : %1",
    "Search files, models, results…": "Chercher fichiers, modèles, résultats…",
    "Delete…": "Supprimer…",
    "Finished": "Terminée",
    "File": "Fichier",
    "The history could not be used: %1": "L'historique n'a pas pu être utilisé : %1",
    "The history is kept encrypted with your wallet's passphrase: unlock the wallet to see it.":
        "L'historique est chiffré avec la phrase secrète de votre portefeuille : déverrouillez le "
        "portefeuille pour le voir.",
    "%n analysis record(s) in the history, kept only in its encrypted store.": (
        "%n analyse dans l'historique, conservée uniquement dans son stockage chiffré.",
        "%n analyses dans l'historique, conservées uniquement dans son stockage chiffré."),
    "%n analysis record(s) will be saved when the history opens.": (
        "%n analyse sera enregistrée à l'ouverture de l'historique.",
        "%n analyses seront enregistrées à l'ouverture de l'historique."),
    "failed: %1": "échec : %1",
    "Delete analysis": "Supprimer l'analyse",
    "Delete the analysis of %1 from the history for good?":
        "Supprimer définitivement l'analyse de %1 de l'historique ?",
    "History": "Historique",
    # The first-run wizard.
    "Show the first-run wizard even when a wallet exists (with --screenshot: save its "
    "recovery-phrase page and quit).":
        "Montrer l'assistant de premier démarrage même si un portefeuille existe (avec "
        "--screenshot : enregistrer sa page de phrase de récupération et quitter).",
    "Nesa Desktop: first start": "Nesa Desktop : premier démarrage",
    "Next >": "Suivant >",
    "< Back": "< Précédent",
    "Finish": "Terminer",
    "Your wallet": "Votre portefeuille",
    "The wallet pays miners for your analyses and receives what your miner earns. Its keys stay "
    "on this computer, in an encrypted file.":
        "Le portefeuille paie les mineurs pour vos analyses et reçoit ce que gagne votre mineur. "
        "Ses clés restent sur cet ordinateur, dans un fichier chiffré.",
    "Create a new wallet": "Créer un nouveau portefeuille",
    "Restore a wallet from its recovery phrase":
        "Restaurer un portefeuille depuis sa phrase de récupération",
    "Your recovery phrase": "Votre phrase de récupération",
    "Write these 24 words down, in order, on paper. They are shown only once. Anyone who has "
    "them can spend your NES; without them a forgotten passphrase cannot be recovered.":
        "Notez ces 24 mots sur papier, dans l'ordre. Ils ne sont montrés qu'une fois. Qui les "
        "possède peut dépenser vos NES ; sans eux, une phrase secrète oubliée est perdue.",
    "I have written the 24 words down": "J'ai noté les 24 mots",
    "No recovery phrase could be made on this computer.":
        "Aucune phrase de récupération n'a pu être créée sur cet ordinateur.",
    "Prove the backup": "Prouver la sauvegarde",
    "Type the words at these three positions, from your paper.":
        "Tapez les mots à ces trois positions, d'après votre papier.",
    "Word #%1": "Mot n° %1",
    "Word #%1 does not match. Check your paper; if the words were not written down, cancel and "
    "start again for a new phrase.":
        "Le mot n° %1 ne correspond pas. Vérifiez votre papier ; si les mots n'ont pas été "
        "notés, annulez et recommencez pour une nouvelle phrase.",
    "Restore a wallet": "Restaurer un portefeuille",
    "Type the recovery phrase (12 to 24 words, in order, separated by spaces).":
        "Tapez la phrase de récupération (12 à 24 mots, dans l'ordre, séparés par des espaces).",
    "This is not a valid recovery phrase: %1":
        "Ce n'est pas une phrase de récupération valide : %1",
    "The passphrase locks the wallet file and the history of your analyses on this computer. At "
    "least 8 characters.":
        "La phrase secrète verrouille le fichier du portefeuille et l'historique de vos analyses "
        "sur cet ordinateur. Au moins 8 caractères.",
    "Repeat it": "Répétez-la",
    "The passphrase needs at least 8 characters.":
        "La phrase secrète doit compter au moins 8 caractères.",
    "The two passphrases differ.": "Les deux phrases secrètes diffèrent.",
    "The wallet could not be created: %1": "Le portefeuille n'a pas pu être créé : %1",
    "Where your analyses go. The local network runs a node and miners on this computer: nothing "
    "leaves it, and the demo wallet pays. Joining a network sends encrypted shares to other "
    "people's miners.":
        "Où vont vos analyses. Le réseau local fait tourner un nœud et des mineurs sur cet "
        "ordinateur : rien n'en sort, et le portefeuille de démonstration paie. Rejoindre un "
        "réseau envoie des parts chiffrées aux mineurs d'autres personnes.",
    "The settings could not be saved: %1": "Les réglages n'ont pas pu être enregistrés : %1",
    # The wallet page: stake, receive, history, governance.
    "Stake NES": "Miser des NES",
    "Unstake NES": "Retirer une mise",
    "Confirm and stake": "Confirmer et miser",
    "Confirm and unstake": "Confirmer et retirer",
    "Stake is locked: it lets this account's miner serve jobs and weighs its votes. A proven "
    "wrong answer of the miner costs part of it.":
        "La mise est bloquée : elle permet au mineur de ce compte de servir des tâches et donne "
        "du poids à ses votes. Une mauvaise réponse prouvée du mineur en coûte une partie.",
    "Unstaked NES return to the balance after the unbonding period.":
        "Les NES retirés reviennent au solde après la période de déblocage.",
    "Block": "Bloc",
    "What": "Quoi",
    "Amount": "Montant",
    "With": "Avec",
    "Change": "Changement",
    "Yes": "Oui",
    "No": "Non",
    "Proposal": "Proposition",
    "Vote yes": "Voter oui",
    "Vote no": "Voter non",
    "Governance": "Gouvernance",
    "The vote was refused: %1": "Le vote a été refusé : %1",
    "Unlock the wallet to see its history and vote.":
        "Déverrouillez le portefeuille pour voir son historique et voter.",
    "The history could not be read: %1": "L'historique n'a pas pu être lu : %1",
    "No transactions yet.": "Aucune transaction pour l'instant.",
    "The proposals could not be read: %1": "Les propositions n'ont pas pu être lues : %1",
    "Select an open proposal and vote with your stake (a vote weighs what the account has "
    "staked).":
        "Choisissez une proposition ouverte et votez avec votre mise (un vote pèse ce que le "
        "compte a misé).",
    "Signing and sending the vote…": "Signature et envoi du vote…",
    "Stake…": "Miser…",
    "Unstake…": "Retirer…",
    "Receive…": "Recevoir…",
    "%1 staked": "%1 misés",
    ", %1 unbonding": ", %1 en déblocage",
    "Receive NES": "Recevoir des NES",
    "Anyone can send NES to this address: show them the code or give them the address. It "
    "reveals no secret.":
        "Tout le monde peut envoyer des NES à cette adresse : montrez le code ou donnez "
        "l'adresse. Elle ne révèle aucun secret.",
    "Copy the address": "Copier l'adresse",
    # The miner page's choices, the tray icon.
    "The miner's choices were not saved: %1": "Les choix du mineur n'ont pas été enregistrés : %1",
    "Stopping the miner…": "Arrêt du mineur…",
    "The miner keeps serving. Open Nesa Desktop from this icon.":
        "Le mineur continue de servir. Ouvrez Nesa Desktop depuis cette icône.",
    "Paused: other programs are keeping this computer busy, and the miner serves only while it "
    "is idle.":
        "En pause : d'autres programmes occupent cet ordinateur, et le mineur ne sert que "
        "lorsqu'il est inactif.",
    "Automatic (a GPU when there is one)": "Automatique (un GPU s'il y en a un)",
    "Processor (CPU)": "Processeur (CPU)",
    "GPU: looking for one…": "GPU : recherche…",
    "Only while this computer is idle": "Seulement quand cet ordinateur est inactif",
    "Keep mining when the window closes": "Continuer à miner quand la fenêtre se ferme",
    "Compute on": "Calculer sur",
    "GPU: none found on this computer": "GPU : aucun sur cet ordinateur",
    "GPU %1": "GPU %1",
    "Paused: this computer is busy.": "En pause : cet ordinateur est occupé.",
    "Serving again: this computer is idle.": "Reprise : cet ordinateur est inactif.",
    "paused (%1)": "en pause (%1)",
    "Nesa Desktop · miner: %1": "Nesa Desktop · mineur : %1",
    "Open Nesa Desktop": "Ouvrir Nesa Desktop",
    "Quit": "Quitter",
    # The cost estimate and "what the miners saw".
    "the estimate failed": "l'estimation a échoué",
    "%1 share jobs at up to %2 µNES, %3 µNES of ledger fees for %4 payment sessions":
        "%1 tâches de parts à %2 µNES au plus, %3 µNES de frais du registre pour %4 sessions de "
        "paiement",
    "After --run, also save the \"What the miners saw\" tab as <png>.":
        "Après --run, enregistrer aussi l'onglet « Ce que les mineurs ont vu » sous <png>.",
    "Input": "Entrée",
    "What the miners saw": "Ce que les mineurs ont vu",
    "Estimating the cost…": "Estimation du coût…",
    "Not estimated: %1": "Non estimé : %1",
    "About %1 NES, paid only for verified answers":
        "Environ %1 NES, payés seulement pour les réponses vérifiées",
    "On this computer": "Sur cet ordinateur",
    "What one miner received": "Ce qu'un mineur a reçu",
    "After a run on the network, the data one miner received is shown here next to the "
    "original.":
        "Après une analyse sur le réseau, les données reçues par un mineur s'affichent ici à côté "
        "de l'original.",
    "At the local level no miner received anything.":
        "Au niveau local, aucun mineur n'a rien reçu.",
    "This run kept no copy of what the miners received.":
        "Cette analyse n'a gardé aucune copie de ce que les mineurs ont reçu.",
    "The middle slice of the first call's input. At level %1 the miner got numbers from %2 to "
    "%3; their correlation with the original is %4.":
        "La coupe du milieu de l'entrée du premier appel. Au niveau %1, le mineur a reçu des "
        "nombres de %2 à %3 ; leur corrélation avec l'original est de %4.",
    "The other miners got other shares, and only this computer can combine them.":
        "Les autres mineurs ont reçu d'autres parts, et seul cet ordinateur peut les combiner.",
    # Exporting the output.
    "Export output…": "Exporter la sortie…",
    "The model's output as a NumPy file (float32)": "La sortie du modèle en fichier NumPy (float32)",
    "Export output": "Exporter la sortie",
    "NumPy files (*.npy)": "Fichiers NumPy (*.npy)",
    "The output could not be exported to %1.": "La sortie n'a pas pu être exportée vers %1.",
    # The wallet's payment sessions.
    "Opened in block": "Ouverte au bloc",
    "Deposit": "Dépôt",
    "Paid": "Payé",
    "Sessions": "Sessions",
    "closed, the rest refunded": "fermée, le reste remboursé",
    "The sessions could not be read: %1": "Les sessions n'ont pas pu être lues : %1",
    "No payment sessions yet: an analysis on the network opens one with each miner it pays.":
        "Aucune session de paiement pour l'instant : une analyse sur le réseau en ouvre une avec "
        "chaque mineur qu'elle paie.",
    "Each session locks a deposit for one miner; verified answers are paid from it, and what is "
    "left returns when it ends.":
        "Chaque session bloque un dépôt pour un mineur ; les réponses vérifiées y sont payées, et "
        "le reste revient à la fin.",
    # The miner's concurrency limit.
    "How many jobs the miner computes at the same time: with a GPU, how much of it the miner "
    "takes at once":
        "Combien de tâches le mineur calcule à la fois : avec un GPU, la part qu'il en prend à la "
        "fois",
    "Jobs at a time": "Tâches à la fois",
    "Jobs it computes at the same time": "Tâches qu'il calcule à la fois",
    # The embedded local network.
    "Local network: using the devnet already running on this computer.":
        "Réseau local : utilisation du devnet qui tourne déjà sur cet ordinateur.",
    "Local network ready: an EVM devnet and %n miner(s) on this computer.": (
        "Réseau local prêt : un devnet EVM et %n mineur sur cet ordinateur.",
        "Réseau local prêt : un devnet EVM et %n mineurs sur cet ordinateur."),
    "The local network stopped (exit code %1); its log is %2.":
        "Le réseau local s'est arrêté (code de sortie %1) ; son journal est %2.",
    "Starting the local network…": "Démarrage du réseau local…",
    # The pages on the EVM network (contracts instead of a node's ledger).
    "the miner's status could not be read": "l'état du mineur n'a pas pu être lu",
    "the network's status could not be read": "l'état du réseau n'a pas pu être lu",
    "the chain command failed": "la commande chain a échoué",
    "the wallet command's answer could not be read":
        "la réponse de la commande wallet n'a pas pu être lue",
    "about %1, at most %2": "environ %1, au plus %2",
    "Not earning: the miner's account %1 has no stake on chain yet. It needs the network's "
    "minimum stake in NES, and gas money.":
        "Aucun gain : le compte %1 du mineur n'a pas encore de mise sur la chaîne. Il lui faut la "
        "mise minimale du réseau en NES, et de quoi payer le gas.",
    "Not earning yet: the registry contract has not listed this miner.":
        "Pas encore de gain : le contrat de registre ne liste pas ce mineur.",
    "On chain": "Sur la chaîne",
    "%1 staked, reputation %2": "%1 en mise, réputation %2",
    "not read from the chain yet": "pas encore lu sur la chaîne",
    " + %1 µNES per MiB": " + %1 µNES par Mio",
    "Reading the network's status…": "Lecture de l'état du réseau…",
    "The network cannot be reached: %1": "Le réseau est injoignable : %1",
    "Chain node %1 · %2 of %n registered miner(s) answering": (
        "Nœud de la chaîne %1 · %2 sur %n mineur inscrit répond",
        "Nœud de la chaîne %1 · %2 sur %n mineurs inscrits répondent"),
    "Amount: %1\nBalance: %2\nNetwork fee: %3 (gas, paid in the chain's own currency)":
        "Montant : %1\nSolde : %2\nFrais de réseau : %3 (gas, payé dans la monnaie propre de "
        "la chaîne)",
    "The account cannot pay the network fee: nothing can be sent.":
        "Le compte ne peut pas payer les frais de réseau : rien ne peut être envoyé.",
    "The recipient must be an address: 0x and 40 hexadecimal digits.":
        "Le destinataire doit être une adresse : 0x et 40 chiffres hexadécimaux.",
    "Asking the chain for the fee…": "Demande des frais à la chaîne…",
    "Your vote is recorded on chain.": "Votre vote est inscrit sur la chaîne.",
    "No proposals. NES holders vote on the network's parameters here.":
        "Aucune proposition. Les détenteurs de NES votent ici sur les paramètres du réseau.",
    "Select an active proposal and vote. A vote weighs the NES the account had delegated when "
    "the vote opened ('nesa gov delegate' delegates them).":
        "Choisissez une proposition active et votez. Un vote pèse les NES que le compte avait "
        "délégués à l'ouverture du vote ('nesa gov delegate' les délègue).",
    "open until %1": "ouverte jusqu'au %1",
    "%1 share jobs at up to %2 µNES; opening %3 payment sessions costs gas and locks a "
    "refundable deposit":
        "%1 tâches de parts à %2 µNES au plus ; ouvrir %3 sessions de paiement coûte du gas et "
        "bloque un dépôt remboursable",
    "Join the EVM network of this chain node:": "Rejoindre le réseau EVM de ce nœud de chaîne :",
    "its deployment file (deployment.json)": "son fichier de déploiement (deployment.json)",
    "Where your analyses go. The local network runs a chain node, the Nesa contracts and miners "
    "on this computer: nothing leaves it, and the demo wallet pays. Joining a network sends "
    "encrypted shares to other people's miners and pays them from your wallet.":
        "Où vont vos analyses. Le réseau local fait tourner un nœud de chaîne, les contrats Nesa "
        "et des mineurs sur cet ordinateur : rien n'en sort, et le portefeuille de démonstration "
        "paie. Rejoindre un réseau envoie des parts chiffrées aux mineurs d'autres personnes et "
        "les paie depuis votre portefeuille.",
    "expired: the rest returns after the settle window":
        "expirée : le reste revient après la fenêtre de règlement",
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
        if isinstance(value, tuple) and message.get("numerus") != "yes":
            value = None  # "(s)" in a message without %n: nothing to fill in English
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
