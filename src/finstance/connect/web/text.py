"""What the Connect pages say, in English and French."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Connect your bank account",
        "secure": "Secure connection",
        "consent_heading": "{company} would like to connect to your bank account",
        "consent_body": "By continuing, you allow {company} to access the following information from your "
        "bank account:",
        "data_accounts": "Account details and balances",
        "data_transactions": "Transaction history",
        "data_identity": "Account holder name, address and contact details",
        "consent_private": "Your credentials are sent to your bank only; {company} never sees them.",
        "terms": "Terms and conditions",
        "accept": "Continue",
        "deny": "Decline",
        "declined_heading": "You declined to share your data",
        "declined_body": "Nothing was shared. You can review the request again at any time.",
        "review": "Review again",
        "institutions_heading": "Select your institution",
        "search_label": "Search for your institution",
        "search": "Search",
        "no_match": "No institution matches your search.",
        "credentials_heading": "Log in to {institution}",
        "username": "Username",
        "password": "Password",
        "submit_credentials": "Connect",
        "back": "Back",
        "forgot": "Forgot your password? Contact {institution}.",
        "mfa_heading": "Security question",
        "mfa_body": "{institution} needs to confirm it is you.",
        "submit_mfa": "Submit",
        "accounts_heading": "Select the account to share",
        "accounts_heading_multiple": "Select the accounts to share",
        "submit_accounts": "Share",
        "success_heading": "Your account is connected",
        "success_body": "You can now return to {company}.",
        "continue": "Continue",
        "error_heading": "We could not connect your account",
        "try_again": "Try again",
        "upload_instead": "Upload your bank statements instead",
        "choose_another": "Choose another institution",
        "close": "Close",
        "closed_heading": "Connection closed",
        "start_again": "Start again",
        "problems": "These parameters of the Connect URL have values that cannot be used:",
        "loading": "Connecting to your bank…",
        "e.INVALID_USERNAME": "This username is not recognised. Check it and try again.",
        "e.INVALID_PASSWORD": "The password is incorrect. Check it and try again.",
        "e.INVALID_LOGIN": "Your bank could not log you in with these credentials. Check them and try again.",
        "e.INVALID_SECURITY_RESPONSE": "The answer to the security question was not correct.",
        "e.UNKNOWN_CHALLENGE_KEY": "That answer was not for the question asked. Answer the question shown.",
        "e.SECURITYRESPONSES_INCOMPLETE": "Answer every question shown.",
        "e.DISABLED_LOGIN": "Your bank has deactivated access to this account. Contact your bank.",
        "e.RETRY_LATER": "Your bank is not available right now. Please try again in a few minutes.",
        "e.NEW_ACCOUNT": "Your bank needs you to log in on its website first (for example to accept new "
        "terms), then come back.",
        "e.UNAUTHORIZED": "Your bank refused this connection. Contact your bank.",
        "e.TOO_MANY_REQUESTS": "Too many attempts. Wait a few minutes, then try again.",
        "e.DISABLED_INSTITUTION": "This institution is not available at the moment.",
        "e.AGGREGATION_ERROR": "Something went wrong while reading your data. Please try again.",
        "e.CONCURRENT_SESSION": "Another connection to this account is under way. Try again shortly.",
        "e.SESSION_NONEXISTENT": "This session has ended. Start again.",
        "e.SESSION_EXPIRED": "This connection has expired or is no longer valid. Start again from the page "
        "that opened it.",
        "e.TOKEN_INVALID": "This connection link is no longer valid (it was already used or has expired). "
        "Reload the page to get a new one.",
        "e.TOKEN_MISSING": "This connection link has no authorize token. The site that opened it must "
        "generate one with GenerateAuthorizeToken (using its secret key) right before each load, then "
        "pass it in the link as authorizeToken=….",
        "e.MAXIMUM_RETRY": "You have reached the maximum number of attempts. Start again from the page "
        "that opened this connection.",
        "e.INVALID_REQUEST": "This connection link is not valid.",
        "e.MISSING_CREDENTIALS": "Enter your username and your password.",
        "e.MISSING_ANSWER": "Answer the question to continue.",
        "e.NO_ACCOUNT_SELECTED": "Select an account to continue.",
        "e.other": "An unexpected error occurred. Please try again.",
    },
    "fr": {
        "title": "Connectez votre compte bancaire",
        "secure": "Connexion sécurisée",
        "consent_heading": "{company} souhaite se connecter à votre compte bancaire",
        "consent_body": "En continuant, vous autorisez {company} à accéder aux informations suivantes de "
        "votre compte bancaire :",
        "data_accounts": "Détails et soldes des comptes",
        "data_transactions": "Historique des transactions",
        "data_identity": "Nom, adresse et coordonnées du titulaire",
        "consent_private": "Vos identifiants ne sont transmis qu'à votre banque; {company} ne les voit "
        "jamais.",
        "terms": "Conditions d'utilisation",
        "accept": "Continuer",
        "deny": "Refuser",
        "declined_heading": "Vous avez refusé de partager vos données",
        "declined_body": "Rien n'a été partagé. Vous pouvez revoir la demande à tout moment.",
        "review": "Revoir la demande",
        "institutions_heading": "Choisissez votre institution",
        "search_label": "Rechercher votre institution",
        "search": "Rechercher",
        "no_match": "Aucune institution ne correspond à votre recherche.",
        "credentials_heading": "Connectez-vous à {institution}",
        "username": "Nom d'utilisateur",
        "password": "Mot de passe",
        "submit_credentials": "Connecter",
        "back": "Retour",
        "forgot": "Mot de passe oublié? Communiquez avec {institution}.",
        "mfa_heading": "Question de sécurité",
        "mfa_body": "{institution} doit confirmer votre identité.",
        "submit_mfa": "Soumettre",
        "accounts_heading": "Choisissez le compte à partager",
        "accounts_heading_multiple": "Choisissez les comptes à partager",
        "submit_accounts": "Partager",
        "success_heading": "Votre compte est connecté",
        "success_body": "Vous pouvez maintenant retourner à {company}.",
        "continue": "Continuer",
        "error_heading": "Nous n'avons pas pu connecter votre compte",
        "try_again": "Réessayer",
        "upload_instead": "Téléverser plutôt vos relevés bancaires",
        "choose_another": "Choisir une autre institution",
        "close": "Fermer",
        "closed_heading": "Connexion fermée",
        "start_again": "Recommencer",
        "problems": "Ces paramètres de l'adresse de Connect ont des valeurs inutilisables :",
        "loading": "Connexion à votre banque…",
        "e.INVALID_USERNAME": "Ce nom d'utilisateur n'est pas reconnu. Vérifiez-le et réessayez.",
        "e.INVALID_PASSWORD": "Le mot de passe est incorrect. Vérifiez-le et réessayez.",
        "e.INVALID_LOGIN": "Votre banque n'a pas pu vous connecter avec ces identifiants. Vérifiez-les et "
        "réessayez.",
        "e.INVALID_SECURITY_RESPONSE": "La réponse à la question de sécurité est incorrecte.",
        "e.UNKNOWN_CHALLENGE_KEY": "Cette réponse ne correspond pas à la question posée.",
        "e.SECURITYRESPONSES_INCOMPLETE": "Répondez à toutes les questions affichées.",
        "e.DISABLED_LOGIN": "Votre banque a désactivé l'accès à ce compte. Communiquez avec votre banque.",
        "e.RETRY_LATER": "Votre banque n'est pas disponible pour le moment. Réessayez dans quelques minutes.",
        "e.NEW_ACCOUNT": "Votre banque vous demande d'abord de vous connecter sur son site (par exemple pour "
        "accepter de nouvelles conditions), puis de revenir.",
        "e.UNAUTHORIZED": "Votre banque a refusé cette connexion. Communiquez avec votre banque.",
        "e.TOO_MANY_REQUESTS": "Trop de tentatives. Attendez quelques minutes, puis réessayez.",
        "e.DISABLED_INSTITUTION": "Cette institution n'est pas disponible pour le moment.",
        "e.AGGREGATION_ERROR": "Une erreur est survenue pendant la lecture de vos données. Réessayez.",
        "e.CONCURRENT_SESSION": "Une autre connexion à ce compte est en cours. Réessayez sous peu.",
        "e.SESSION_NONEXISTENT": "Cette session est terminée. Recommencez.",
        "e.SESSION_EXPIRED": "Cette connexion a expiré ou n'est plus valide. Recommencez à partir de la page "
        "qui l'a ouverte.",
        "e.TOKEN_INVALID": "Ce lien de connexion n'est plus valide (il a déjà servi ou a expiré). "
        "Rechargez la page pour en obtenir un nouveau.",
        "e.TOKEN_MISSING": "Ce lien de connexion n'a pas de jeton d'autorisation. Le site qui l'a ouvert "
        "doit en générer un avec GenerateAuthorizeToken (avec sa clé secrète) juste avant chaque "
        "chargement, puis le passer dans le lien avec authorizeToken=….",
        "e.MAXIMUM_RETRY": "Vous avez atteint le nombre maximal de tentatives. Recommencez à partir de la "
        "page qui a ouvert cette connexion.",
        "e.INVALID_REQUEST": "Ce lien de connexion n'est pas valide.",
        "e.MISSING_CREDENTIALS": "Entrez votre nom d'utilisateur et votre mot de passe.",
        "e.MISSING_ANSWER": "Répondez à la question pour continuer.",
        "e.NO_ACCOUNT_SELECTED": "Choisissez un compte pour continuer.",
        "e.other": "Une erreur inattendue est survenue. Réessayez.",
    },
}


def text(language: str, key: str, **values: str) -> str:
    table = TEXT.get(language, TEXT["en"])
    return table.get(key, TEXT["en"].get(key, key)).format(**values)


def error_text(language: str, code: str | None) -> str:
    key = f"e.{code}"
    return text(language, key if key in TEXT["en"] else "e.other")
