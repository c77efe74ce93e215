//! The anonymiser measured on the annotated synthetic casussen in tests/anonymise/: recall
//! per category and over-redaction, against the targets of the anonymisation issue. The table
//! (with every false negative and false positive) is printed; see it with
//! `cargo test --test engine anonymise -- --nocapture` or `peiling anonymise --eval FILE`.

use peiling::anonymise::{Anonymiser, Category, eval};

#[test]
fn the_anonymiser_meets_its_targets_on_the_annotated_casussen() {
    let source =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/anonymise/casussen.toml")).unwrap();
    let set: eval::TestSet = toml::from_str(&source).unwrap();
    assert!(set.casus.len() >= 60, "the issue asks for at least 60 casussen");
    let result = eval::evaluate(&Anonymiser::new(), &set);
    println!("{} casussen\n{}", set.casus.len(), result.table());
    assert!(result.problems.is_empty(), "{:?}", result.problems);
    for category in Category::ALL {
        assert!(result.recall(category).is_some(), "no planted {} in the set", category.code());
    }
    for category in [Category::Email, Category::Phone, Category::Bsn, Category::Iban, Category::Postcode] {
        assert_eq!(
            result.recall(category),
            Some(1.0),
            "{} must be found every time\n{}",
            category.code(),
            result.table()
        );
    }
    for category in [Category::Name, Category::Address] {
        let recall = result.recall(category).unwrap();
        assert!(recall >= 0.95, "{}: recall {recall:.3} under 95%\n{}", category.code(), result.table());
    }
    for category in Category::ALL {
        let recall = result.recall(category).unwrap();
        assert!(recall >= 0.9, "{}: recall {recall:.3} under 90%\n{}", category.code(), result.table());
    }
    assert!(result.over_redaction() < 0.05, "over-redaction {:.3}\n{}", result.over_redaction(), result.table());
}

#[test]
fn names_of_invitees_and_users_are_always_redacted() {
    let a = Anonymiser::new().with_known_names(["Gerrit Hoekstra", "Ilse van Wijngaarden"]);
    let r = a.redact("Overleg gehad met Hoekstra en Ilse; wijngaarden belde terug. Wijngaarden is akkoord.");
    let lower = r.text.to_lowercase();
    assert!(!lower.contains("hoekstra") && !lower.contains("ilse") && !lower.contains("wijngaarden"), "{}", r.text);
}

/// The held-out set was written by someone who had not seen the rules, after they were
/// written, and nothing was tuned on it since: it tells how the anonymiser does on text it was
/// not shaped by. The shapes must still be found every time; for names and addresses its
/// recall is printed and recorded in the README, not held to the target.
#[test]
fn on_the_held_out_casussen_every_shape_is_still_found() {
    let source = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/anonymise/heldout.toml")).unwrap();
    let set: eval::TestSet = toml::from_str(&source).unwrap();
    let result = eval::evaluate(&Anonymiser::new(), &set);
    println!("held-out: {} casussen\n{}", set.casus.len(), result.table());
    assert!(result.problems.is_empty(), "{:?}", result.problems);
    for category in [Category::Email, Category::Phone, Category::Bsn, Category::Iban, Category::Postcode] {
        assert_eq!(result.recall(category), Some(1.0), "{}\n{}", category.code(), result.table());
    }
    assert!(result.over_redaction() < 0.05, "{}", result.table());
}
