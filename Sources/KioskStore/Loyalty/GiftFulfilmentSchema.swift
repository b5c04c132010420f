/// `0013-gift-fulfilment`: a gift handed out names the transaction that handed it out (as a
/// cancelled one names its cancellation), and a member's requests are found by member, so that
/// staff at the counter can list what a member has waiting.
enum GiftFulfilmentSchema {
    static let migration = "0013-gift-fulfilment"

    static let sql = """
        ALTER TABLE catalogue_requests ADD COLUMN fulfilled_by TEXT REFERENCES business_transactions(id);
        CREATE INDEX catalogue_requests_member ON catalogue_requests(member_id, status);
        """
}
