"""The payment widget's words, in English and French."""

from __future__ import annotations

from finstance.pay import money

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Pay by bank",
        "secure": "Secure payment",
        "start_heading": "Pay {payee} from your bank account",
        "start_body": "Choose your bank to sign in and pick the account the payment comes from.",
        "credentials_heading": "Sign in to {bank}",
        "username": "Username",
        "password": "Password",
        "sign_in": "Sign in",
        "mfa_heading": "Answer your bank's question",
        "account_heading": "Choose an account",
        "amount_heading": "Confirm the amount",
        "amount_label": "Amount (CAD)",
        "guarantee_heading": "Your payment is guaranteed",
        "guarantee_body": "Flinks guarantees {amount} of this payment.",
        "offer_body": "Flinks can guarantee {offer} of the {amount} you asked to pay. Pay {offer} instead?",
        "accept": "Accept",
        "decline": "Return to the merchant",
        "confirmation_heading": "One moment",
        "confirmation_body": "The merchant is confirming your payment's guarantee.",
        "pad_heading": "Pre-authorized debit agreement",
        "pad_body": "I, {payor}, authorize {payee} to debit {amount} from my account {account} at "
        "{bank}, once, on or after today. I may cancel this authorization before the debit is processed. "
        "I have certain recourse rights if a debit does not comply with this agreement: to obtain more "
        "information, I may contact my financial institution or visit www.payments.ca.",
        "agree": "I accept this agreement",
        "continue": "Continue",
        "confirm": "Confirm",
        "complete_heading": "Payment scheduled",
        "complete_body": "Your payment of {amount} is scheduled. You can close this window.",
        "Failed": "The payment could not be made.",
        "Canceled": "This payment was cancelled.",
        "Expired": "This payment request has expired.",
        "unknown": "This payment cannot be found. Open it again from the site that sent you here.",
        "EFT0401": "Your bank did not accept the sign-in.",
        "EFT0402": "The payment could not be guaranteed.",
        "EFT0403": "The account holder's name does not match the payor's.",
        "EFT0404": "The account's available balance does not cover the amount.",
        "missing": "Fill in every field.",
        "no_account": "Choose one of the accounts.",
        "amount": "Enter an amount in dollars and cents.",
        "agreement": "Accept the agreement to continue.",
        "schedule_heading": "Pre-authorized debit agreement",
        "schedule_body": "I, {payor}, authorize {payee} to debit {amount} from my account {account}, "
        "{schedule}. I may cancel this agreement at any time with 10 days' notice to {payee}. I have "
        "certain recourse rights if a debit does not comply with this agreement: for example, I have the "
        "right to receive reimbursement for any debit that is not authorized or not consistent with it. To "
        "obtain more information on my recourse rights, I may contact my financial institution or visit "
        "www.payments.ca.",
        "OneTime": "once, on {start}",
        "Weekly": "every week from {start}, {count} times",
        "Biweekly": "every two weeks from {start}, {count} times",
        "Monthly": "every month from {start}, {count} times",
        "sign": "Sign the agreement",
        "signed_heading": "Agreement signed",
        "signed_body": "Thank you: {payee} will debit your account as agreed. You can close this window.",
        "pad_Cancelled": "This agreement was cancelled.",
        "pad_Expired": "This agreement has expired: its debits' dates have passed.",
        "pad_unknown": "This agreement cannot be found. Open it again from the link you were sent.",
    },
    "fr": {
        "title": "Payer par banque",
        "secure": "Paiement sécurisé",
        "start_heading": "Payer {payee} depuis votre compte bancaire",
        "start_body": "Choisissez votre banque pour vous connecter et choisir le compte du paiement.",
        "credentials_heading": "Connexion à {bank}",
        "username": "Nom d’utilisateur",
        "password": "Mot de passe",
        "sign_in": "Se connecter",
        "mfa_heading": "Répondez à la question de votre banque",
        "account_heading": "Choisissez un compte",
        "amount_heading": "Confirmez le montant",
        "amount_label": "Montant (CAD)",
        "guarantee_heading": "Votre paiement est garanti",
        "guarantee_body": "Flinks garantit {amount} de ce paiement.",
        "offer_body": "Flinks peut garantir {offer} des {amount} demandés. Payer {offer} plutôt ?",
        "accept": "Accepter",
        "decline": "Retourner au marchand",
        "confirmation_heading": "Un instant",
        "confirmation_body": "Le marchand confirme la garantie de votre paiement.",
        "pad_heading": "Accord de débit préautorisé",
        "pad_body": "Je, {payor}, autorise {payee} à débiter {amount} de mon compte {account} chez "
        "{bank}, une fois, à compter d’aujourd’hui. Je peux annuler cette autorisation avant le traitement "
        "du débit. J’ai certains droits de recours si un débit n’est pas conforme à cet accord : pour en "
        "savoir plus, je peux communiquer avec mon institution financière ou visiter www.paiements.ca.",
        "agree": "J’accepte cet accord",
        "continue": "Continuer",
        "confirm": "Confirmer",
        "complete_heading": "Paiement prévu",
        "complete_body": "Votre paiement de {amount} est prévu. Vous pouvez fermer cette fenêtre.",
        "Failed": "Le paiement n’a pas pu être effectué.",
        "Canceled": "Ce paiement a été annulé.",
        "Expired": "Cette demande de paiement a expiré.",
        "unknown": "Ce paiement est introuvable. Ouvrez-le de nouveau depuis le site qui vous a dirigé ici.",
        "EFT0401": "Votre banque n’a pas accepté la connexion.",
        "EFT0402": "Le paiement n’a pas pu être garanti.",
        "EFT0403": "Le nom du titulaire du compte ne correspond pas à celui du payeur.",
        "EFT0404": "Le solde disponible du compte ne couvre pas le montant.",
        "missing": "Remplissez tous les champs.",
        "no_account": "Choisissez l’un des comptes.",
        "amount": "Entrez un montant en dollars et en cents.",
        "agreement": "Acceptez l’accord pour continuer.",
        "schedule_heading": "Accord de débit préautorisé",
        "schedule_body": "Je, {payor}, autorise {payee} à débiter {amount} de mon compte {account}, "
        "{schedule}. Je peux annuler cet accord en tout temps moyennant un préavis de 10 jours à {payee}. "
        "J’ai certains droits de recours si un débit n’est pas conforme à cet accord : par exemple, j’ai le "
        "droit d’être remboursé de tout débit non autorisé ou non conforme. Pour en savoir plus sur mes "
        "droits de recours, je peux communiquer avec mon institution financière ou visiter www.paiements.ca.",
        "OneTime": "une fois, le {start}",
        "Weekly": "chaque semaine à compter du {start}, {count} fois",
        "Biweekly": "toutes les deux semaines à compter du {start}, {count} fois",
        "Monthly": "chaque mois à compter du {start}, {count} fois",
        "sign": "Signer l’accord",
        "signed_heading": "Accord signé",
        "signed_body": "Merci : {payee} débitera votre compte comme convenu. Vous pouvez fermer cette "
        "fenêtre.",
        "pad_Cancelled": "Cet accord a été annulé.",
        "pad_Expired": "Cet accord a expiré : les dates de ses débits sont passées.",
        "pad_unknown": "Cet accord est introuvable. Ouvrez-le de nouveau depuis le lien reçu.",
    },
}


def text(language: str, key: str, **values: str) -> str:
    words = TEXT.get(language, TEXT["en"])
    return words.get(key, TEXT["en"].get(key, key)).format(**values)


def dollars(cents: int | None, language: str) -> str:
    if cents is None:
        return ""
    amount = money.format_amount(cents)
    if language == "fr":
        return amount.replace(".", ",") + " $"
    return "$" + amount
