import APIStore
import EtcdStore
import Testing

@Suite("EtcdEndpoint parsing")
struct EtcdEndpointTests {
    @Test("host:port, http://host:port/ and comma lists")
    func parses() throws {
        #expect(try EtcdEndpoint(parsing: "127.0.0.1:2379").description == "127.0.0.1:2379")
        #expect(try EtcdEndpoint(parsing: " http://localhost:23791/ ").description == "localhost:23791")
        let list = try EtcdEndpoint.parseList("127.0.0.1:23791, 127.0.0.1:23792,,127.0.0.1:23793")
        #expect(list.map(\.port) == [23791, 23792, 23793])
    }

    @Test("no port, a bad port, an empty list: .unavailable")
    func refuses() {
        for text in ["127.0.0.1", ":2379", "host:0", "host:70000", "host:x"] {
            #expect(throws: StoreError.self) { _ = try EtcdEndpoint(parsing: text) }
        }
        #expect(throws: StoreError.self) { _ = try EtcdEndpoint.parseList(" , ") }
    }
}
