import Foundation
import GRDB
import Testing
@testable import Store

/// The store writes and reads its date columns without GRDB's DateFormatter; the text must be
/// exactly GRDB's, or rows written by the two paths would compare and decode differently.
@Suite struct StorageDateTests {
    /// Whole and fractional seconds, leap days, century years, the far past and future, and
    /// instants near a millisecond boundary (rounded to the nearest).
    static let dates: [Date] = {
        var dates = [
            0, -1, -0.0005, 0.0009, 951_782_400, 951_868_799.999, 1_397_000_000.123, 1_795_000_000, 4_102_444_800,
            1_709_164_800.5, 1_399_999_999.9999,
        ].map { Date(timeIntervalSince1970: $0) }
        // A fixed pseudo-random spread over 1970–2100 with sub-millisecond fractions, the same
        // every run. (Far from 2001, ICU's rounding of an exact half-millisecond can differ by one.)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<5_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            dates.append(Date(timeIntervalSince1970: Double(state >> 11) / Double(1 << 53) * 4.1e9))
        }
        return dates
    }()

    @Test func writesGRDBsText() {
        for date in Self.dates {
            #expect(StorageDate.text(date) == String.fromDatabaseValue(date.databaseValue), "\(date.timeIntervalSince1970)")
        }
    }

    @Test func readsWhatGRDBReads() {
        for date in Self.dates {
            let text = StorageDate.text(date)
            let ours = StorageDate.date(text)
            let grdb = Date.fromDatabaseValue(text.databaseValue)
            #expect(ours != nil && ours == grdb, "\(text)")
        }
    }

    @Test func leavesOtherFormatsToGRDB() {
        for text in ["2014-03-10", "2014-03-10 12:00", "2014-03-10T12:00:00.000", "2014-13-10 12:00:00.000", "2014-03-10 12:00:00.0x0", ""] {
            #expect(StorageDate.date(text) == nil, "\(text)")
        }
    }
}
