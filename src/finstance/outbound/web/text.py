"""What the consent pages say, in English and French."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Share your bank data",
        "secure": "Secure connection",
        "login_heading": "Log in to {provider}",
        "login_body": "{recipient} asks to access data held by {provider}. Log in to review the request.",
        "username": "Username",
        "password": "Password",
        "log_in": "Log in",
        "cancel": "Cancel and return to {recipient}",
        "mfa_heading": "Security question",
        "mfa_body": "{provider} needs to confirm it is you.",
        "submit": "Submit",
        "consent_heading": "{recipient} would like to access your data",
        "accounts_legend": "Accounts to share",
        "scopes_legend": "What {recipient} will be able to see",
        "approve": "Approve",
        "deny": "Deny",
        "consent_note": "You can revoke this access at any time.",
        "done_heading": "You can close this page",
        "done_body": "You were sent back to {recipient}.",
        "error_heading": "Something went wrong",
        "retry": "Try again",
        "expired_heading": "This request has expired",
        "expired_body": "Return to the application and start again.",
        "unknown_heading": "This page does not exist",
        "unknown_body": "The address is not valid on this server.",
        "invalid_heading": "This request cannot be processed",
        "invalid_body": "The application sent an invalid request ({error}). Return to it and try again.",
        "ACCOUNT_BASIC": "Account names, types and masked numbers",
        "ACCOUNT_DETAILED": "Account balances and details",
        "ACCOUNT_PAYMENTS": "Account and routing numbers for payments",
        "INVESTMENTS": "Investment holdings",
        "TRANSACTIONS": "Transaction history",
        "STATEMENTS": "Account statements",
        "CUSTOMER_CONTACT": "Your name, address, e-mail and phone number",
        "CUSTOMER_PERSONAL": "Your personal information",
    },
    "fr": {
        "title": "Partager vos données bancaires",
        "secure": "Connexion sécurisée",
        "login_heading": "Connectez-vous à {provider}",
        "login_body": "{recipient} demande à accéder à des données détenues par {provider}. "
        "Connectez-vous pour examiner la demande.",
        "username": "Nom d'utilisateur",
        "password": "Mot de passe",
        "log_in": "Se connecter",
        "cancel": "Annuler et retourner à {recipient}",
        "mfa_heading": "Question de sécurité",
        "mfa_body": "{provider} doit confirmer votre identité.",
        "submit": "Soumettre",
        "consent_heading": "{recipient} souhaite accéder à vos données",
        "accounts_legend": "Comptes à partager",
        "scopes_legend": "Ce que {recipient} pourra consulter",
        "approve": "Autoriser",
        "deny": "Refuser",
        "consent_note": "Vous pouvez révoquer cet accès en tout temps.",
        "done_heading": "Vous pouvez fermer cette page",
        "done_body": "Vous avez été redirigé vers {recipient}.",
        "error_heading": "Une erreur est survenue",
        "retry": "Réessayer",
        "expired_heading": "Cette demande a expiré",
        "expired_body": "Retournez à l'application et recommencez.",
        "unknown_heading": "Cette page n'existe pas",
        "unknown_body": "Cette adresse n'est pas valide sur ce serveur.",
        "invalid_heading": "Cette demande ne peut pas être traitée",
        "invalid_body": "L'application a envoyé une demande invalide ({error}). Retournez-y et réessayez.",
        "ACCOUNT_BASIC": "Noms, types et numéros masqués des comptes",
        "ACCOUNT_DETAILED": "Soldes et détails des comptes",
        "ACCOUNT_PAYMENTS": "Numéros de compte et de transit pour les paiements",
        "INVESTMENTS": "Placements",
        "TRANSACTIONS": "Historique des transactions",
        "STATEMENTS": "Relevés de compte",
        "CUSTOMER_CONTACT": "Vos nom, adresse, courriel et numéro de téléphone",
        "CUSTOMER_PERSONAL": "Vos renseignements personnels",
    },
}

ERRORS: dict[str, dict[str, str]] = {
    "en": {
        "INVALID_USERNAME": "The username is not valid. Check it and try again.",
        "INVALID_PASSWORD": "The password is not valid. Check it and try again.",
        "INVALID_LOGIN": "The username or password is not valid. Check them and try again.",
        "INVALID_SECURITY_RESPONSE": "The answer is not correct. Log in again to get a new question.",
        "MISSING_CREDENTIALS": "Enter your username and password.",
        "MISSING_ANSWER": "Answer the question.",
        "NO_ACCOUNT_SELECTED": "Select at least one account.",
        "TOO_MANY_REQUESTS": "Too many attempts. Wait a minute and try again.",
        "RETRY_LATER": "{provider} cannot be reached right now. Try again later.",
        "DISABLED_LOGIN": "This account is disabled at {provider}.",
        "default": "{provider} could not complete the login. Try again.",
    },
    "fr": {
        "INVALID_USERNAME": "Le nom d'utilisateur n'est pas valide. Vérifiez-le et réessayez.",
        "INVALID_PASSWORD": "Le mot de passe n'est pas valide. Vérifiez-le et réessayez.",
        "INVALID_LOGIN": "Le nom d'utilisateur ou le mot de passe n'est pas valide. "
        "Vérifiez-les et réessayez.",
        "INVALID_SECURITY_RESPONSE": "La réponse n'est pas exacte. "
        "Reconnectez-vous pour une nouvelle question.",
        "MISSING_CREDENTIALS": "Entrez votre nom d'utilisateur et votre mot de passe.",
        "MISSING_ANSWER": "Répondez à la question.",
        "NO_ACCOUNT_SELECTED": "Sélectionnez au moins un compte.",
        "TOO_MANY_REQUESTS": "Trop de tentatives. Attendez une minute et réessayez.",
        "RETRY_LATER": "{provider} est injoignable pour le moment. Réessayez plus tard.",
        "DISABLED_LOGIN": "Ce compte est désactivé chez {provider}.",
        "default": "{provider} n'a pas pu terminer la connexion. Réessayez.",
    },
}


def text(language: str, key: str, **values: str) -> str:
    table = TEXT.get(language, TEXT["en"])
    return table.get(key, TEXT["en"].get(key, key)).format(**values)


def error_text(language: str, code: str | None, provider: str) -> str | None:
    if not code:
        return None
    table = ERRORS.get(language, ERRORS["en"])
    return table.get(code, table["default"]).format(provider=provider)
