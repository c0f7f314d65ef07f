//! Words for the same need, so the directory is searched by what a service offers and not only
//! by the words in its name: "food" also finds a soup kitchen and a pantry. The list is data,
//! in `assets/directory/synonyms.txt` (one group a line), built into the program.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::text::name_key;

const LIST: &str = include_str!("../../assets/directory/synonyms.txt");

/// Groups of words and phrases that mean the same need.
#[derive(Debug, Default)]
pub struct Synonyms {
    groups: Vec<Vec<String>>,
    /// A one-word entry's key → its group.
    by_word: HashMap<String, usize>,
}

impl Synonyms {
    /// Reads groups from text: a group a line, entries separated by commas, `#` comments.
    pub fn parse(text: &str) -> Result<Synonyms, String> {
        let mut s = Synonyms::default();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let group: Vec<String> = line.split(',').map(name_key).filter(|e| !e.is_empty()).collect();
            if group.len() < 2 {
                return Err(format!("line {}: a group needs two words or more", n + 1));
            }
            for entry in group.iter().filter(|e| !e.contains(' ')) {
                if s.by_word.insert(entry.clone(), s.groups.len()).is_some() {
                    return Err(format!("line {}: \"{entry}\" is in two groups", n + 1));
                }
            }
            s.groups.push(group);
        }
        Ok(s)
    }

    /// The other words and phrases of `word`'s group (none when it is in no group).
    pub fn alternatives(&self, word: &str) -> Vec<String> {
        let key = name_key(word);
        match self.by_word.get(&key) {
            Some(&g) => self.groups[g].iter().filter(|e| **e != key).cloned().collect(),
            None => Vec::new(),
        }
    }
}

/// The built-in list (checked by a test, so it always reads).
pub fn directory_synonyms() -> &'static Synonyms {
    static LOADED: OnceLock<Synonyms> = OnceLock::new();
    LOADED.get_or_init(|| Synonyms::parse(LIST).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_list_reads_and_food_means_meals_and_pantries() {
        let s = Synonyms::parse(LIST).unwrap();
        let food = s.alternatives("Food");
        for w in ["meals", "pantry", "soup kitchen", "food bank"] {
            assert!(food.iter().any(|a| a == w), "{w}: {food:?}");
        }
        assert!(!food.iter().any(|a| a == "food"), "not itself");
        assert!(s.alternatives("pantry").iter().any(|a| a == "food"));
        assert!(s.alternatives("advice").is_empty(), "too broad a word is in no group");
        assert!(s.alternatives("training").is_empty());
        assert!(directory_synonyms().alternatives("meals").iter().any(|a| a == "food"));
    }

    #[test]
    fn a_bad_list_is_refused_saying_where() {
        assert!(Synonyms::parse("food, meals\nmeals, dinners").unwrap_err().contains("line 2"));
        assert!(Synonyms::parse("# c\n\nfood").unwrap_err().contains("line 3"));
        assert!(Synonyms::parse("food, meals\n# meals\n").is_ok());
    }
}
