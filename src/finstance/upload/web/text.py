"""The words of the upload page, in English and French."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Upload your bank statements",
        "intro": "Add your most recent bank statements: PDF files from your bank, scans or photos of them, "
        "or OFX, QFX and CSV exports.",
        "limits": "Up to 24 files, 20 MB each.",
        "choose": "Statements",
        "send": "Send",
        "sending": "Sending…",
        "reading": "Reading your statements…",
        "done": "Your statements were read.",
        "failed": "None of your files could be read as a complete bank statement.",
        "try_other": "Try other files",
        "continue": "Continue",
        "expired": "This page has expired. Open it again from the site that sent you here.",
        "refused": "This page cannot be opened: its link is not valid.",
        "missing": "Choose at least one file.",
        "Pending": "Waiting",
        "Processed": "Read",
        "Unreconciled": "Its balances do not add up",
        "NoTransactionTable": "No transactions found",
        "Rejected": "Not read",
        "file": "File",
        "status": "Status",
    },
    "fr": {
        "title": "Téléversez vos relevés bancaires",
        "intro": "Ajoutez vos relevés bancaires les plus récents : fichiers PDF de votre banque, "
        "numérisations ou photos de ceux-ci, ou exportations OFX, QFX et CSV.",
        "limits": "Jusqu’à 24 fichiers, 20 Mo chacun.",
        "choose": "Relevés",
        "send": "Envoyer",
        "sending": "Envoi…",
        "reading": "Lecture de vos relevés…",
        "done": "Vos relevés ont été lus.",
        "failed": "Aucun de vos fichiers n’a pu être lu comme un relevé bancaire complet.",
        "try_other": "Essayer d’autres fichiers",
        "continue": "Continuer",
        "expired": "Cette page a expiré. Ouvrez-la de nouveau depuis le site qui vous y a envoyé.",
        "refused": "Cette page ne peut pas être ouverte : son lien n’est pas valide.",
        "missing": "Choisissez au moins un fichier.",
        "Pending": "En attente",
        "Processed": "Lu",
        "Unreconciled": "Ses soldes ne concordent pas",
        "NoTransactionTable": "Aucune transaction trouvée",
        "Rejected": "Non lu",
        "file": "Fichier",
        "status": "État",
    },
}


# Why a file was not read, by its reason code, for the end-user (the API's messages say more, in English).
REASONS: dict[str, dict[str, str]] = {
    "en": {
        "unsupported_format": "This is not a PDF, a picture or a bank export.",
        "unreconciled": "The transactions do not add up to the balances the statement shows.",
        "no_transaction_table": "No list of transactions was found in it.",
        "unreadable": "It could not be read as a statement.",
        "malformed": "The file is damaged.",
        "truncated": "The file is incomplete.",
        "encrypted": "The file is protected by a password.",
        "no_text": "No text could be read in it.",
        "too_many_pages": "It has too many pages.",
        "decompression_bomb": "The file is too large once opened.",
        "empty_file": "The file is empty.",
        "resource_limit": "Reading it took more than the allowed resources.",
        "time_limit": "Reading it took too long.",
    },
    "fr": {
        "unsupported_format": "Ce n’est ni un PDF, ni une image, ni une exportation bancaire.",
        "unreconciled": "Les transactions ne concordent pas avec les soldes du relevé.",
        "no_transaction_table": "Aucune liste de transactions n’y a été trouvée.",
        "unreadable": "Il n’a pas pu être lu comme un relevé.",
        "malformed": "Le fichier est endommagé.",
        "truncated": "Le fichier est incomplet.",
        "encrypted": "Le fichier est protégé par un mot de passe.",
        "no_text": "Aucun texte n’a pu y être lu.",
        "too_many_pages": "Il compte trop de pages.",
        "decompression_bomb": "Le fichier est trop volumineux une fois ouvert.",
        "empty_file": "Le fichier est vide.",
        "resource_limit": "Sa lecture a demandé plus que les ressources permises.",
        "time_limit": "Sa lecture a pris trop de temps.",
    },
}


def text(language: str, key: str) -> str:
    return TEXT.get(language, TEXT["en"])[key]


def reason(language: str, code: str, message: str) -> str:
    """Why a file was not read: said for the end-user when its code is known, else the API's message."""
    return REASONS.get(language, REASONS["en"]).get(code, message)
