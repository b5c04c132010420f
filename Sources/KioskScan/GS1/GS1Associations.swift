/// The cross-AI rules of the GS1 General Specifications (§4.14) as the GS1 Barcode Syntax
/// Dictionary writes them: mandatory associations (`req=`: AI 02 needs AI 37, a lot number needs
/// a GTIN, a price per unit of measure needs a variable measure) and invalid pairs (`ex=`: AI 01
/// and 02, two net weights in different decimal positions). Checked over one element string (one
/// scan); the dictionary evaluates them over every symbol on an item, which a kiosk reading one
/// symbol cannot see (`GS1ElementString(data:associations:)` turns them off).
enum GS1Associations {
    static func check(_ defs: [ApplicationIdentifier]) throws(ScanError) {
        for def in defs {
            for pattern in def.excludePatterns {
                if let other = defs.first(where: { $0.code != def.code && pattern.matches($0.code) }) {
                    throw ScanError(.gs1InvalidPair, "(\(def.ai)) and (\(other.ai)) cannot be in one element string")
                }
            }
            for (index, group) in def.requirePatterns.enumerated()
            where !defs.contains(where: { other in group.contains { $0.matches(other.code) } }) {
                throw ScanError(.gs1MissingAssociation, "(\(def.ai)) needs " + def.requires[index].map { "(\($0))" }.joined(separator: " or "))
            }
        }
    }
}
