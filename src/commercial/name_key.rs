//! The key under which product names are compared: case- and punctuation-insensitive, so that
//! "SQL Server", "sql-server" and "SQLServer" are one name.

/// The name's letters and digits, lower case; spaces, punctuation and symbols dropped.
pub fn name_key(name: &str) -> String {
    name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use super::name_key;

    #[test]
    fn case_space_and_punctuation_do_not_count() {
        for spelling in
            ["SQL Server", "sql-server", "SQLServer", " Sql_Server ", "S.Q.L. server", "SQL Server®"]
        {
            assert_eq!(name_key(spelling), "sqlserver", "{spelling:?}");
        }
        assert_eq!(name_key("Db2 11.5"), "db2115", "digits count");
        assert_eq!(name_key("Größe"), "größe", "letters beyond ASCII count");
        assert_eq!(name_key("--"), "");
    }
}
