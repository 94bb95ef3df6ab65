import Foundation
import Testing
@testable import Feeds

@Suite("FeedDate")
struct FeedDateTests {
    @Test(arguments: [
        ("Wed, 18 Nov 2026 09:30:00 GMT", utc(2026, 11, 18, 9, 30)),
        ("Wed, 18 Nov 2026 09:30:00 UT", utc(2026, 11, 18, 9, 30)),
        ("Wed, 18 Nov 2026 09:30:00 Z", utc(2026, 11, 18, 9, 30)),
        ("Wed, 18 Nov 2026 09:30:00 EST", utc(2026, 11, 18, 14, 30)),
        ("Wed, 18 Nov 2026 09:30:00 EDT", utc(2026, 11, 18, 13, 30)),
        ("Wed, 18 Nov 2026 09:30:00 PST", utc(2026, 11, 18, 17, 30)),
        ("Wed, 18 Nov 2026 09:30:00 CET", utc(2026, 11, 18, 8, 30)),
        ("Wed, 18 Nov 2026 09:30:00 KST", utc(2026, 11, 18, 0, 30)),
        ("Wed, 18 Nov 2026 09:30:00 +0530", utc(2026, 11, 18, 4, 0)),
        ("Wed, 18 Nov 2026 09:30:00 -0800", utc(2026, 11, 18, 17, 30)),
        ("Wed, 18 Nov 2026 09:30:45 +0000", utc(2026, 11, 18, 9, 30, 45)),
        // No seconds, no weekday, no zone (read as UTC).
        ("18 Nov 2026 09:30 GMT", utc(2026, 11, 18, 9, 30)),
        ("Wed, 18 Nov 2026 09:30", utc(2026, 11, 18, 9, 30)),
        ("18 Nov 2026", utc(2026, 11, 18)),
        // Two-digit years.
        ("Wed, 18 Nov 26 09:30:00 GMT", utc(2026, 11, 18, 9, 30)),
        ("Thu, 18 Nov 99 09:30:00 GMT", utc(1999, 11, 18, 9, 30)),
        // Month-first order and full names.
        ("Nov 18 2026 09:30:00 GMT", utc(2026, 11, 18, 9, 30)),
        ("Wed, Nov 18, 2026 09:30:00 GMT", utc(2026, 11, 18, 9, 30)),
        ("Wednesday, 18 November 2026 09:30:00 GMT", utc(2026, 11, 18, 9, 30)),
        ("  Wed, 18 Nov 2026 09:30:00 GMT\n", utc(2026, 11, 18, 9, 30)),
        ("Mon, 29 Feb 2028 23:59:59 GMT", utc(2028, 2, 29, 23, 59, 59)),
    ])
    func rfc822(_ text: String, _ expected: Date) {
        #expect(FeedDate.parse(text) == expected, "\(text)")
    }

    @Test(arguments: [
        ("2026-11-18T09:30:00Z", utc(2026, 11, 18, 9, 30)),
        ("2026-11-18t09:30:00z", utc(2026, 11, 18, 9, 30)),
        ("2026-11-18T11:30:00+02:00", utc(2026, 11, 18, 9, 30)),
        ("2026-11-18T04:00:00-05:30", utc(2026, 11, 18, 9, 30)),
        ("2026-11-18T11:30:00+0200", utc(2026, 11, 18, 9, 30)),
        ("2026-11-18T09:30:00.250Z", utc(2026, 11, 18, 9, 30, 0.25)),
        ("2026-11-18T09:30:00,5+00:00", utc(2026, 11, 18, 9, 30, 0.5)),
        ("2026-11-18T09:30Z", utc(2026, 11, 18, 9, 30)),
        ("2026-11-18 09:30:00", utc(2026, 11, 18, 9, 30)),
        ("2026-11-18", utc(2026, 11, 18)),
        ("1999-12-31T23:59:59-01:00", utc(2000, 1, 1, 0, 59, 59)),
    ])
    func iso8601(_ text: String, _ expected: Date) throws {
        let parsed = try #require(FeedDate.parse(text), "\(text)")
        #expect(abs(parsed.timeIntervalSince(expected)) < 0.000_5, "\(text)")
    }

    @Test(arguments: [
        "", "   ", "yesterday", "Nov", "18 Nov", "2026", "2026-13-01", "2026-11-32", "2026-11-18T25:00:00Z",
        "2026-11-18T09:61:00Z", "2026-11-18T", "2026-11-18T09", "Wed, 32 Nov 2026 09:30:00 GMT",
        "Wed, 18 Foo 2026 09:30:00 GMT", "Wed, 18 Nov 2026 99:30:00 GMT", "Wed, 18 Nov 2026 xx:yy GMT",
        "18 Nov 99999999999999999999999 10:00 GMT", "18 Nov 2026 9999999999999999999:00 GMT",
        "Wed, 18 Nov 2026 10:00:-inf GMT", "Wed, 18 Nov 2026 10:00:nan GMT", "Wed, 18 Nov 2026 10:00:inf GMT",
        "Wed, 18 Nov 2026 10:00:-5 GMT", "-5 Nov 2026", "\u{0}\u{1}\u{2}", "٢٠٢٦-١١-١٨",
        "0000-00-00T00:00:00Z", "18 Nov 0999 10:00 GMT",
    ])
    func garbageIsNil(_ text: String) {
        #expect(FeedDate.parse(text) == nil, "\(text.debugDescription)")
    }

    @Test func anyLeadingWordIsTakenForAWeekday() {
        #expect(FeedDate.parse("Mittwoch, 18 Nov 2026 09:30:00 GMT") == utc(2026, 11, 18, 9, 30))
    }

    @Test func unknownZoneNameIsReadAsUTC() {
        #expect(FeedDate.parse("Wed, 18 Nov 2026 09:30:00 XYZ") == utc(2026, 11, 18, 9, 30))
    }
}
