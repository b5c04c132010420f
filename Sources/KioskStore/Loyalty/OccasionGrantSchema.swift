/// One row per gift-credit grant of a yearly occasion (birthday, anniversary, holiday): the
/// primary key makes "once per member, occasion and occasion-year" hold in the store, whatever
/// path grants it (the daily sweep, staff, a replay), in the grant's own transaction.
///
/// Grants committed before this migration have no row (their year in the program's time zone
/// cannot be computed in SQL); from it on, every grant has one.
enum OccasionGrantSchema {
    static let migration = "0006-occasion-grants"

    static let sql = """
        CREATE TABLE loyalty_occasion_grants (
            member_id TEXT NOT NULL REFERENCES members(id),
            occasion TEXT NOT NULL,
            year INTEGER NOT NULL,
            transaction_id TEXT NOT NULL REFERENCES business_transactions(id),
            PRIMARY KEY (member_id, occasion, year)
        ) WITHOUT ROWID;
        """
}
