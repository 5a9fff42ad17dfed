//! Text matching shared by every lookup of a name: folding names to one canonical form (case,
//! accents, Greek letters, plurals, UK/US spelling) and "did you mean" by edit distance.
//! Knows nothing about RDF or stores.

use unicode_normalization::UnicodeNormalization;

/// Folds a name for matching: lower case; accents, punctuation and possessive "'s" removed;
/// Greek letters and their spelled names reduced to one Latin letter (TNFα = TNF-alpha = TNFa);
/// plurals made singular (MSCs = MSC, vesicles = vesicle); UK spellings made US (tumour =
/// tumor, ischaemia = ischemia, haematopoietic = hematopoietic, signalling = signaling).
/// Both sides of a comparison are folded the same way, so each rule only has to map the
/// variants of a word to one form.
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    let mut word = String::new();
    let mut chars = text.nfd().filter(|c| !is_combining_mark(*c)).peekable();
    while let Some(c) = chars.next() {
        if let Some(latin) = greek_letter(c) {
            word.push(latin);
        } else if c.is_alphanumeric() {
            word.push(c);
        } else {
            fold_word(&word, &mut folded);
            word.clear();
            // A possessive "'s" is dropped; an "s" that begins a word after an apostrophe stays.
            if matches!(c, '\'' | '’') {
                if let Some(s) = chars.next_if(|n| matches!(n, 's' | 'S')) {
                    if chars.peek().is_some_and(|n| n.is_alphanumeric()) {
                        word.push(s);
                    }
                }
            }
        }
    }
    fold_word(&word, &mut folded);
    folded
}

fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36f}')
}

/// The Latin letter a Greek letter is matched as.
fn greek_letter(c: char) -> Option<char> {
    match c {
        'α' | 'Α' => Some('a'),
        'β' | 'Β' => Some('b'),
        'γ' | 'Γ' => Some('g'),
        'δ' | 'Δ' => Some('d'),
        'κ' | 'Κ' => Some('k'),
        _ => None,
    }
}

/// Appends one word in its canonical form: lower case, Greek names as one letter, singular, US
/// spelling. Case tells an acronym's plural (MSCs, EVs, iPSCs: capitals, then a final s).
fn fold_word(word: &str, out: &mut String) {
    if word.is_empty() {
        return;
    }
    let acronym_plural = word.len() >= 3
        && word.ends_with('s')
        && word[..word.len() - 1]
            .chars()
            .filter(char::is_ascii_uppercase)
            .count()
            >= 2;
    let mut w = word.to_lowercase();
    if acronym_plural {
        w.pop();
    }
    replace_all(
        &mut w,
        &[
            ("alpha", "a"),
            ("beta", "b"),
            ("gamma", "g"),
            ("delta", "d"),
            ("kappa", "k"),
        ],
    );
    if !acronym_plural && w.bytes().all(|b| b.is_ascii_alphabetic()) {
        singular(&mut w);
    }
    us_spelling(&mut w);
    out.push_str(&w);
}

/// Replaces every occurrence of each `from` with its `to`, allocating only on a match.
fn replace_all(w: &mut String, pairs: &[(&str, &str)]) {
    for (from, to) in pairs {
        if w.contains(from) {
            *w = w.replace(from, to);
        }
    }
}

/// Replaces the first of the suffixes `w` ends with, when what precedes it is at least
/// `min_stem` bytes long; says whether it did.
fn replace_suffix(w: &mut String, pairs: &[(&str, &str)], min_stem: usize) -> bool {
    for (from, to) in pairs {
        if w.len() >= from.len() + min_stem && w.ends_with(from) {
            w.truncate(w.len() - from.len());
            w.push_str(to);
            return true;
        }
    }
    false
}

/// Makes a regular English plural (and "mice") singular; other words are left as they are.
fn singular(w: &mut String) {
    if w == "mice" {
        *w = "mouse".to_owned();
    } else if w.len() >= 4 {
        let irregular = [
            ("ies", "y"),
            ("sses", "ss"),
            ("ches", "ch"),
            ("shes", "sh"),
            ("xes", "x"),
        ];
        if !replace_suffix(w, &irregular, 0)
            && w.ends_with('s')
            && !["ss", "us", "is"].iter().any(|e| w.ends_with(e))
        {
            w.pop();
        }
    }
}

/// Maps UK spellings to US ones, so either finds the other.
fn us_spelling(w: &mut String) {
    replace_all(
        w,
        &[
            ("ae", "e"),
            ("oedem", "edem"),
            ("oesophag", "esophag"),
            ("oestr", "estr"),
            ("foet", "fet"),
            ("coeli", "celi"),
            ("tumour", "tumor"),
            ("colour", "color"),
            ("behaviour", "behavior"),
            ("favour", "favor"),
            ("labour", "labor"),
            ("odour", "odor"),
            ("humour", "humor"),
            ("sulph", "sulf"),
            ("grey", "gray"),
            ("ageing", "aging"),
            ("programme", "program"),
        ],
    );
    // -ise/-isation → -ize/-ization, -yse → -yze: mobilised, characterisation, analyse.
    let _ = replace_suffix(
        w,
        &[
            ("isation", "ization"),
            ("ising", "izing"),
            ("ised", "ized"),
            ("ises", "izes"),
            ("iser", "izer"),
            ("ise", "ize"),
            ("ysing", "yzing"),
            ("ysed", "yzed"),
            ("yse", "yze"),
        ],
        4,
    );
    // Doubled l before -ing/-ed/-er: signalling, labelled, modelling.
    let _ = replace_suffix(w, &[("lling", "ling"), ("lled", "led"), ("ller", "ler")], 3);
    // -re → -er: centre, fibre, litre.
    let _ = replace_suffix(w, &[("tre", "ter"), ("bre", "ber")], 2);
}

/// Levenshtein distance in characters.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

/// The candidate closest to `given`, if any is close enough to be a plausible typo.
pub fn nearest<'a>(given: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let given = fold(given);
    candidates
        .map(|c| (distance(&given, &fold(c)), c))
        .filter(|(d, c)| *d <= (fold(c).len() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_accents_greek_and_punctuation() {
        assert_eq!(fold("TSG-6"), fold("tsg6"));
        assert_eq!(fold("Sjögren"), fold("Sjogren"));
        assert_eq!(fold("Sjögren's syndrome"), fold("Sjogren syndrome"));
    }

    #[test]
    fn greek_letters_match_their_ascii_spellings() {
        for (greek, ascii) in [
            ("TNFα", "TNFa"),
            ("TNFα", "TNF-alpha"),
            ("IFNγ", "IFNg"),
            ("IFN-γ", "IFN-gamma"),
            ("TGF-β1", "TGFb1"),
            ("TGF-β1", "TGF-beta1"),
            ("IL-1β", "IL-1b"),
            ("NF-κB", "NF-kappaB"),
        ] {
            assert_eq!(fold(greek), fold(ascii), "{greek} vs {ascii}");
        }
    }

    #[test]
    fn singular_and_plural_match() {
        for (one, many) in [
            ("exosome", "exosomes"),
            ("MSC", "MSCs"),
            ("iPSC-MSC", "iPSC-MSCs"),
            ("EV", "EVs"),
            ("therapy", "therapies"),
            ("mouse", "mice"),
            ("rat", "rats"),
        ] {
            assert_eq!(fold(one), fold(many), "{one} vs {many}");
        }
        assert_ne!(fold("process"), fold("proces"));
        assert_eq!(fold("analysis"), "analysis");
    }

    #[test]
    fn us_and_uk_spellings_match() {
        for (us, uk) in [
            ("tumor growth", "tumour growth"),
            ("ischemia", "ischaemia"),
            ("ischemic stroke", "ischaemic stroke"),
            ("hematopoietic", "haematopoietic"),
            ("signaling", "signalling"),
            ("edema", "oedema"),
            ("characterization", "characterisation"),
            ("mobilized", "mobilised"),
            ("fiber", "fibre"),
        ] {
            assert_eq!(fold(us), fold(uk), "{us} vs {uk}");
        }
    }

    #[test]
    fn nearest_finds_typos_only() {
        let names = ["factors-by-effect", "studies-by-year"];
        assert_eq!(
            nearest("factor-by-effect", names.iter().copied()),
            Some("factors-by-effect")
        );
        assert_eq!(nearest("zzz", names.iter().copied()), None);
    }
}
