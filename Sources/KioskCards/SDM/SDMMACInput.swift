/// Which bytes of its SUN URL an NTAG 424 DNA's SDMMAC covers: the card batch's personalisation
/// (SDMMACInputOffset against SDMMACOffset) decides, so the kiosk is told, per batch
/// (`cards.sdm_mac_input`). Both layouts are used in the field.
public enum SDMMACInput: String, Sendable, Equatable, CaseIterable {
    /// SDMMACInputOffset equal to SDMMACOffset: the MAC input is empty (NXP AN12196's example,
    /// `…?picc_data=EF963FF7828658A599F3041510671E88&cmac=94EED9EE65337086` with all-zero keys).
    /// The default.
    case empty
    /// SDMMACInputOffset at the start of the `picc_data` value: the MAC covers the text
    /// `<picc_data hex>&cmac=`.
    case piccData = "picc-data"

    /// The application note's layout.
    public static let `default` = SDMMACInput.empty
}
