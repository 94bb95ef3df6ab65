import Foundation
import GRDB
import Testing
@testable import Store

/// The store writes and reads its date columns without GRDB's DateFormatter; the text must be
/// exactly GRDB's, or rows written by the two paths would compare and decode differently.
@Suite struct StorageDateTests {
    /// Whole and fractional seconds, leap days, century years, the far past and future, and
    /// instants just below a millisecond boundary (truncated, not rounded).
    static let dates: [Date] = {
        var dates = [
            0, -1, -0.0005, 0.0009, 951_782_400, 951_868_799.999, 1_397_000_000.123, 1_795_000_000, 4_102_444_800,
            -2_208_988_800, 253_402_300_799.999, 1_709_164_800.5, 1_399_999_999.9999,
        ].map { Date(timeIntervalSince1970: $0) }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            dates.append(Date(timeIntervalSince1970: Double.random(in: -3e9...5e9, using: &generator)))
        }
        return dates
    }()

    @Test func writesGRDBsText() {
        for date in Self.dates {
            #expect(Store.StorageDate.text(date) == String.fromDatabaseValue(date.databaseValue), "\(date.timeIntervalSince1970)")
        }
    }

    @Test func readsWhatGRDBReads() {
        for date in Self.dates {
            let text = Store.StorageDate.text(date)
            let ours = Store.StorageDate.date(text)
            let grdb = Date.fromDatabaseValue(text.databaseValue)
            #expect(ours != nil && ours == grdb, "\(text)")
        }
    }

    @Test func leavesOtherFormatsToGRDB() {
        for text in ["2014-03-10", "2014-03-10 12:00", "2014-03-10T12:00:00.000", "2014-13-10 12:00:00.000", "2014-03-10 12:00:00.0x0", ""] {
            #expect(Store.StorageDate.date(text) == nil, "\(text)")
        }
    }
}
