// Lint's table of names: which parameters share a name (ignoring ASCII case), kept as indices
// over the document's own bytes, without a String per parameter.
import CfgDocument

/// Every parameter's name, compared ignoring ASCII case, as an open-addressing hash table of
/// parameter indices: each distinct name's occurrences in document order. About 12 bytes a
/// parameter, where a dictionary of lower-cased Strings cost some 200 (lint of a 33 MB file held
/// 150 MB of them).
struct NameTable {
    let document: CfgDocument
    /// Per slot: the first parameter of a distinct name, or -1.
    private var firsts: [Int32]
    /// Per parameter: the next parameter of the same name, or -1.
    private var next: [Int32]

    init(_ document: CfgDocument) {
        self.document = document
        let n = document.parameterCount
        var capacity = 16
        while capacity < n + n / 2 { capacity <<= 1 }   // at most two thirds full
        firsts = Array(repeating: -1, count: capacity)
        next = Array(repeating: -1, count: n)
        // Per slot, the last parameter of its name, where the next one is chained (while building).
        var lasts = [Int32](repeating: -1, count: capacity)
        let mask = capacity - 1
        document.bytes.withUnsafeBufferPointer { p in
            document.attributes.withUnsafeBufferPointer { attributes in
                for i in 0..<n {
                    let name = p[attributes[i].nameRange]
                    var slot = Int(Self.hash(name) & UInt64(mask))
                    while firsts[slot] >= 0 && !Self.sameName(p[attributes[Int(firsts[slot])].nameRange], name) {
                        slot = (slot + 1) & mask
                    }
                    if firsts[slot] < 0 { firsts[slot] = Int32(i) } else { next[Int(lasts[slot])] = Int32(i) }
                    lasts[slot] = Int32(i)
                }
            }
        }
    }

    /// The parameters named `name` (any ASCII case), in document order; empty when none.
    func indices(of name: String) -> [Int] { chain(from: firsts[find(name.utf8)]) }

    /// The parameters from `first` on along their name's chain.
    private func chain(from first: Int32) -> [Int] {
        var out: [Int] = []
        var i = first
        while i >= 0 {
            out.append(Int(i))
            i = next[Int(i)]
        }
        return out
    }

    /// The first parameter named `name` (any ASCII case).
    func first(of name: String) -> Int? {
        let slot = find(name.utf8)
        return firsts[slot] >= 0 ? Int(firsts[slot]) : nil
    }

    /// How many parameters are named `name` (any ASCII case).
    func count(of name: String) -> Int { indices(of: name).count }

    /// Every name that more than one parameter has: its occurrences in document order.
    var repeated: [[Int]] {
        firsts.filter { $0 >= 0 && next[Int($0)] >= 0 }.map(chain).sorted { $0[0] < $1[0] }
    }

    /// The slot that holds `name`, or the empty one where it would go.
    private func find<C: Collection>(_ name: C) -> Int where C.Element == UInt8 {
        let mask = firsts.count - 1
        var slot = Int(Self.hash(name) & UInt64(mask))
        while firsts[slot] >= 0 && !Self.sameName(document.nameBytes(Int(firsts[slot])), name) {
            slot = (slot + 1) & mask
        }
        return slot
    }

    @inline(__always) static func lower(_ c: UInt8) -> UInt8 { (c >= 65 && c <= 90) ? c | 0x20 : c }

    /// FNV-1a over the name's bytes, ASCII lower-cased.
    static func hash<C: Collection>(_ name: C) -> UInt64 where C.Element == UInt8 {
        name.reduce(seed, mix)
    }

    static let seed: UInt64 = 0xcbf2_9ce4_8422_2325

    /// The hash with one more byte.
    @inline(__always) static func mix(_ h: UInt64, _ c: UInt8) -> UInt64 { (h ^ UInt64(lower(c))) &* 0x100_0000_01b3 }

    static func sameName<A: Collection, B: Collection>(_ a: A, _ b: B) -> Bool
    where A.Element == UInt8, B.Element == UInt8 {
        guard a.count == b.count else { return false }
        return zip(a, b).allSatisfy { lower($0) == lower($1) }
    }
}
