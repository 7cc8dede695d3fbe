// The stock names the catalogue searches by halves in their generated text: every one is found, in any case.
@testable import Handset
import Testing

@Suite("Stock names")
struct StockNamesTests {
    @Test("Every stock name is found by its lower-cased spelling (the generated lines are sorted), and no other")
    func everyNameFound() {
        let stock = Catalogue.shared.stock
        #expect(stock.count == 7_842)
        for k in 0..<stock.count {
            #expect(stock.index(of: stock.name(k).lowercased()) == k, "\(stock.name(k))")
        }
        #expect(stock.index(of: "device.sec.tls.customcacert9") == nil)
        #expect(stock.index(of: "") == nil)
        #expect(Catalogue.shared.info(for: "VOICE.CODECPREF.G711MU")?.name == "voice.codecPref.G711Mu")
    }
}
