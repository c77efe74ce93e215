//! The password policy: at least `MIN_PASSWORD` characters and not trivially guessable, as
//! zxcvbn estimates it (a well-kept estimator with dictionaries, keyboard patterns, repeats,
//! sequences and dates, rather than a hand-made rule of "one digit, one capital"). Every new
//! password passes here: a new account, a reset link, a change of one's own.

use super::{AccountError, MIN_PASSWORD};
use zxcvbn::Score;
use zxcvbn::feedback::{Suggestion, Warning};

/// The lowest zxcvbn score accepted: 3 is "safely unguessable" (about 10^10 guesses), enough
/// against guessing online behind the lock-out and slow against a stolen argon2id hash.
const MIN_SCORE: Score = Score::Three;

/// Accepts `password` for the account `email`, or says why not. The address (and its parts)
/// count as known to an attacker, so `alice@gemeente.nl` cannot choose `alicegemeente2026`.
pub fn check(password: &str, email: &str) -> Result<(), AccountError> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(AccountError::WeakPassword);
    }
    let (local, domain) = email.split_once('@').unwrap_or((email, ""));
    let inputs: Vec<&str> = [email, local, domain]
        .into_iter()
        .chain(domain.split('.'))
        .chain(local.split(['.', '-', '_', '+']))
        .filter(|s| s.len() > 2)
        .collect();
    let estimate = zxcvbn::zxcvbn(password, &inputs);
    if estimate.score() >= MIN_SCORE {
        return Ok(());
    }
    let feedback = estimate.feedback();
    let reason = feedback
        .and_then(|f| f.warning())
        .map(warning)
        .or_else(|| feedback.and_then(|f| f.suggestions().first().copied()).map(suggestion))
        .unwrap_or("het is met weinig pogingen te raden");
    let reason =
        if password_has_address_part(password, &inputs) { "het bevat (een deel van) het e-mailadres" } else { reason };
    Err(AccountError::Predictable(reason.to_string()))
}

fn password_has_address_part(password: &str, inputs: &[&str]) -> bool {
    let lower = password.to_lowercase();
    inputs.iter().any(|part| part.len() > 3 && lower.contains(&part.to_lowercase()))
}

fn warning(w: Warning) -> &'static str {
    match w {
        Warning::StraightRowsOfKeysAreEasyToGuess => "een rij toetsen naast elkaar is makkelijk te raden",
        Warning::ShortKeyboardPatternsAreEasyToGuess => "een kort patroon op het toetsenbord is makkelijk te raden",
        Warning::RepeatsLikeAaaAreEasyToGuess => "herhalingen als 'aaa' zijn makkelijk te raden",
        Warning::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess => {
            "herhalingen als 'abcabcabc' zijn nauwelijks moeilijker te raden dan 'abc'"
        }
        Warning::ThisIsATop10Password => "dit is een van de tien meest gebruikte wachtwoorden",
        Warning::ThisIsATop100Password => "dit is een van de honderd meest gebruikte wachtwoorden",
        Warning::ThisIsACommonPassword => "dit is een veelgebruikt wachtwoord",
        Warning::ThisIsSimilarToACommonlyUsedPassword => "dit lijkt op een veelgebruikt wachtwoord",
        Warning::SequencesLikeAbcAreEasyToGuess => "reeksen als 'abc' of '6543' zijn makkelijk te raden",
        Warning::RecentYearsAreEasyToGuess => "recente jaartallen zijn makkelijk te raden",
        Warning::AWordByItselfIsEasyToGuess => "een los woord is makkelijk te raden",
        Warning::DatesAreOftenEasyToGuess => "datums zijn vaak makkelijk te raden",
        Warning::NamesAndSurnamesByThemselvesAreEasyToGuess => "een losse naam is makkelijk te raden",
        Warning::CommonNamesAndSurnamesAreEasyToGuess => "veelvoorkomende namen zijn makkelijk te raden",
    }
}

fn suggestion(s: Suggestion) -> &'static str {
    match s {
        Suggestion::UseAFewWordsAvoidCommonPhrases => "gebruik een paar woorden, geen bekende uitdrukking",
        Suggestion::NoNeedForSymbolsDigitsOrUppercaseLetters | Suggestion::AddAnotherWordOrTwo => {
            "voeg nog een of twee ongewone woorden toe"
        }
        Suggestion::CapitalizationDoesntHelpVeryMuch | Suggestion::AllUppercaseIsAlmostAsEasyToGuessAsAllLowercase => {
            "hoofdletters maken het nauwelijks sterker"
        }
        Suggestion::ReversedWordsArentMuchHarderToGuess => "een omgekeerd woord is nauwelijks moeilijker te raden",
        Suggestion::PredictableSubstitutionsDontHelpVeryMuch => {
            "voorspelbare vervangingen zoals '@' voor 'a' helpen weinig"
        }
        Suggestion::UseALongerKeyboardPatternWithMoreTurns => "een toetsenbordpatroon is makkelijk te raden",
        Suggestion::AvoidRepeatedWordsAndCharacters => "herhaalde woorden en tekens zijn makkelijk te raden",
        Suggestion::AvoidSequences => "reeksen zijn makkelijk te raden",
        Suggestion::AvoidRecentYears | Suggestion::AvoidYearsThatAreAssociatedWithYou => {
            "jaartallen zijn makkelijk te raden"
        }
        Suggestion::AvoidDatesAndYearsThatAreAssociatedWithYou => "datums en jaartallen zijn makkelijk te raden",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(password: &str, email: &str) -> String {
        match check(password, email) {
            Err(AccountError::Predictable(reason)) => reason,
            other => panic!("{password:?} should be refused as predictable, got {other:?}"),
        }
    }

    #[test]
    fn twelve_as_are_refused_with_the_reason() {
        let error = check(&"a".repeat(12), "alice@gemeente.nl").unwrap_err();
        assert_eq!(
            error.to_string(),
            "dit wachtwoord is te voorspelbaar: herhalingen als 'aaa' zijn makkelijk te raden"
        );
    }

    #[test]
    fn common_passwords_keyboard_rows_and_the_address_are_refused() {
        assert!(reason("password1234", "alice@gemeente.nl").contains("wachtwoord"));
        assert!(!reason("qwertyuiopas", "alice@gemeente.nl").is_empty());
        assert_eq!(reason("alicegemeente", "alice@gemeente.nl"), "het bevat (een deel van) het e-mailadres");
    }

    #[test]
    fn short_ones_are_refused_on_their_length_first() {
        assert!(matches!(check("Xq7!vR2#", "a@b.nl"), Err(AccountError::WeakPassword)));
    }

    #[test]
    fn the_passwords_of_the_tests_and_a_few_words_pass() {
        for password in [
            "een lang wachtwoord",
            "geen echt wachtwoord hier",
            "proef-onderzoeker-2026",
            "proef-leeskamer-2026",
            "paarse olifant fietst langzaam",
        ] {
            assert!(check(password, "onderzoeker@example.org").is_ok(), "{password} should pass");
        }
    }
}
