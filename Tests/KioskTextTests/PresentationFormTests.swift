import KioskText
import Testing

/// Persian for a terminal that does not join letters: visual order with each letter in the
/// presentation form its place calls for (Unicode's Arabic Presentation Forms-A and -B).
@Suite struct PresentationFormTests {
    func scalars(_ text: String) -> [UInt32] { text.unicodeScalars.map(\.value) }

    @Test func lettersTakeTheirJoinedFormsInVisualOrder() {
        // سارا: seen initial, alef final, reh isolated (it joins only to the right), alef isolated.
        #expect(scalars(BidiParagraph.visual("سارا", base: .rtl, presentationForms: true)) == [0xFE8D, 0xFEAD, 0xFE8E, 0xFEB3])
        // Without presentation forms the letters are only reordered.
        #expect(scalars(BidiParagraph.visual("سارا", base: .rtl)) == [0x0627, 0x0631, 0x0627, 0x0633])
    }

    @Test func persianLettersAndZWNJ() {
        // می‌خواهم: meem initial, Farsi yeh final; ZWNJ breaks the joining; khah initial, waw
        // final, alef isolated, heh initial, meem final.
        #expect(scalars(BidiParagraph.visual("می‌خواهم", base: .rtl, presentationForms: true))
            == [0xFEE2, 0xFEEB, 0xFE8D, 0xFEEE, 0xFEA7, 0x200C, 0xFBFD, 0xFEE3])
        // گ, پ, چ, ژ and ک (U+06A9) from Presentation Forms-A: گرگ = gaf initial, reh final, gaf isolated.
        #expect(scalars(BidiParagraph.visual("گرگ", base: .rtl, presentationForms: true)) == [0xFB92, 0xFEAE, 0xFB94])
        #expect(scalars(BidiParagraph.visual("کیک", base: .rtl, presentationForms: true)) == [0xFB8F, 0xFBFF, 0xFB90])
    }

    @Test func lamAlefIsOneLigatureAndDigitsStayInOrder() {
        // سلام: seen initial, lam-alef final ligature (the alef's place dropped), meem isolated.
        #expect(scalars(BidiParagraph.visual("سلام", base: .rtl, presentationForms: true)) == [0xFEE1, 0xFEFC, 0xFEB3])
        // Persian digits read left to right inside the right-to-left line; Latin untouched.
        #expect(BidiParagraph.visual("۱۲ kiosk", base: .rtl, presentationForms: true) == "kiosk ۱۲")
    }
}
