using System.Diagnostics;
using System.Text;
using PaperMailer.Domain;
using PaperMailer.Subscriptions.Import;
using PaperMailer.Testing;
using Xunit.Abstractions;

namespace PaperMailer.Tests.Subscriptions;

[RunsForAbout(seconds: 8)]
public class SubscriberImportReaderTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Now = new(2025, 3, 14, 9, 30, 0, TimeSpan.Zero);
    private static readonly Topic[] KnownTopics =
    [
        new() { Id = "nlp", Name = "Language", Keywords = ["language models"] },
        new() { Id = "cv", Name = "Vision", Keywords = ["computer vision"] },
        new() { Id = "rl", Name = "Reinforcement learning", Keywords = ["reinforcement learning"] },
    ];

    private static SubscriberImportResult Read(string text, string fileName = "subs.csv") =>
        SubscriberImportReader.Read(new StringReader(text), fileName, KnownTopics, new FixedClock(Now));

    private static IReadOnlyList<Subscriber> ReadOk(string text)
    {
        var result = Read(text);
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors));
        Assert.Empty(result.Errors);
        return result.Subscribers;
    }

    private static IReadOnlyList<string> ReadErrors(string text, string fileName = "subs.csv")
    {
        var result = Read(text, fileName);
        Assert.False(result.Succeeded);
        Assert.Empty(result.Subscribers);
        return result.Errors;
    }

    // ---- CSV ----

    [Fact]
    public void Csv_quoted_fields_keep_commas_doubled_quotes_and_line_breaks()
    {
        var subscribers = ReadOk(
            "email,name,topics,keywords,exclude,timezone,hour\r\n" +
            "ann@example.org,\"Smith, Ann \"\"Annie\"\"\",nlp;cv,\"diffusion, flow matching;graph\r\nneural networks\",survey,Europe/Berlin,6\r\n" +
            "bob@example.org,Bob,rl,,,America/New_York,23\r\n");

        Assert.Equal(2, subscribers.Count);
        var ann = subscribers[0];
        Assert.Equal("ann@example.org", ann.Email);
        Assert.Equal("Smith, Ann \"Annie\"", ann.Name);
        Assert.Equal(["nlp", "cv"], ann.Profile.Topics);
        // Only semicolons separate items; the line break inside the quoted cell becomes a space.
        Assert.Equal(["diffusion, flow matching", "graph neural networks"], ann.Profile.Keywords);
        Assert.Equal(["survey"], ann.Profile.Exclusions);
        Assert.Equal("Europe/Berlin", ann.TimeZone);
        Assert.Equal(6, ann.DeliveryHour);

        var bob = subscribers[1];
        Assert.Equal(["rl"], bob.Profile.Topics);
        Assert.Empty(bob.Profile.Keywords);
        Assert.Empty(bob.Profile.Exclusions);
        Assert.Equal(23, bob.DeliveryHour);
    }

    [Fact]
    public void Csv_header_columns_may_come_in_any_order_and_case_and_missing_fields_get_defaults()
    {
        var subscribers = ReadOk(
            "Keywords, HOUR ,Email\n" +
            "transformers,,carol@example.org\n" +
            "diffusion; rlhf ,5,dave@example.org");

        Assert.Equal(2, subscribers.Count);
        var carol = subscribers[0];
        Assert.Equal("carol@example.org", carol.Email);
        Assert.Null(carol.Name);
        Assert.Empty(carol.Profile.Topics);
        Assert.Equal(["transformers"], carol.Profile.Keywords);
        Assert.Equal("UTC", carol.TimeZone);
        Assert.Equal(8, carol.DeliveryHour);
        Assert.Equal(DigestFrequency.Daily, carol.Frequency);
        Assert.Equal(10, carol.MaxPapers);
        Assert.Equal(SubscriberStatus.Active, carol.Status);
        Assert.Equal(Now, carol.CreatedAt);
        Assert.Equal(0, carol.Id);

        Assert.Equal(["diffusion", "rlhf"], subscribers[1].Profile.Keywords);
        Assert.Equal(5, subscribers[1].DeliveryHour);
    }

    [Fact]
    public void Csv_accepts_the_optional_frequency_and_max_papers_columns()
    {
        var subscribers = ReadOk("email,topics,frequency,max_papers\nann@example.org,nlp,Weekly,25\nbob@example.org,cv,,\n");

        Assert.Equal(DigestFrequency.Weekly, subscribers[0].Frequency);
        Assert.Equal(25, subscribers[0].MaxPapers);
        Assert.Equal(DigestFrequency.Daily, subscribers[1].Frequency);
        Assert.Equal(10, subscribers[1].MaxPapers);
    }

    [Fact]
    public void Csv_name_with_control_characters_is_rejected()
    {
        Assert.Equal(["subs.csv:2: name: contains control characters"], ReadErrors("email,name,topics\nann@example.org,Ann\u0007,nlp\n"));
    }

    [Fact]
    public void Csv_topic_ids_match_case_insensitively_and_are_stored_as_the_catalogue_spells_them()
    {
        var subscribers = ReadOk("email,topics\nann@example.org,NLP; Cv\n");

        Assert.Equal(["nlp", "cv"], subscribers[0].Profile.Topics);
    }

    [Fact]
    public void Csv_with_a_byte_order_mark_reads_the_same_from_a_file_and_from_a_reader()
    {
        const string text = "email,topics\nann@example.org,nlp\n";
        var path = Path.Combine(Path.GetTempPath(), $"papermailer-import-{Guid.NewGuid():N}.csv");
        try
        {
            File.WriteAllBytes(path, [.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(text)]);
            var fromFile = SubscriberImportReader.Read(path, KnownTopics, new FixedClock(Now));
            var fromReader = Read("\uFEFF" + text);

            Assert.True(fromFile.Succeeded, string.Join(Environment.NewLine, fromFile.Errors));
            Assert.True(fromReader.Succeeded, string.Join(Environment.NewLine, fromReader.Errors));
            Assert.Equal("ann@example.org", Assert.Single(fromFile.Subscribers).Email);
            Assert.Equal("ann@example.org", Assert.Single(fromReader.Subscribers).Email);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Csv_skips_blank_lines_and_rows_whose_fields_are_all_empty()
    {
        var subscribers = ReadOk("email,topics\n\nann@example.org,nlp\n,\n  \nbob@example.org,cv\n,\n");

        Assert.Equal(["ann@example.org", "bob@example.org"], subscribers.Select(s => s.Email));
    }

    [Fact]
    public void Csv_errors_name_the_line_each_record_starts_on_after_multi_line_fields()
    {
        var errors = ReadErrors(
            "email,name,keywords,hour\n" +            // 1
            "ann@example.org,\"Ann\n" +              // 2
            "\n" +                                   // 3
            "Smith\",diffusion,7\n" +                // 4
            "bob@example.org,Bob,transformers,late\n" + // 5
            "carol@example.org,\"Carol\r\n" +         // 6
            "C\",,9\r\n" +                            // 7
            "dave@example.org,Dave,rl,24\n");         // 8

        Assert.Equal(
            [
                "subs.csv:5: hour: \"late\" is not a whole number",
                "subs.csv:6: profile: pick at least one topic or keyword, or Trending today",
                "subs.csv:8: hour: 24 is not an hour from 0 to 23",
            ],
            errors);
    }

    [Fact]
    public void Csv_reports_every_kind_of_row_problem_with_its_line()
    {
        var errors = ReadErrors(
            "email,topics,keywords,timezone,hour,frequency,max_papers\n" + // 1
            "not-an-address,nlp,,,,,\n" +                                  // 2
            "ann@example.org,astro,,,,,\n" +                               // 3
            "bob@example.org,nlp,,Mars/Olympus,,,\n" +                     // 4
            "carol@example.org,nlp,,,-1,,\n" +                             // 5
            "dave@example.org,nlp,,,,monthly,\n" +                         // 6
            "erin@example.org,nlp,,,,,0\n" +                               // 7
            "frank@example.org,,,,,,\n" +                                  // 8
            "grace@example.org,nlp,,,,,ten\n" +                            // 9
            "heidi@example.org,nlp,\"a\"b,,,,\n" +                         // 10
            "ivan@example.org,nlp,diffusion,UTC,8,daily\n" +               // 11
            "judy@example.org,Smith, Judy,nlp,,,,\n");                      // 12

        Assert.Equal(
            [
                "subs.csv:2: email: the email address needs a name, an @ and a domain",
                "subs.csv:3: topics: \"astro\" is not a known topic (known: nlp, cv, rl)",
                "subs.csv:4: timezone: \"Mars/Olympus\" is not an IANA time zone such as Europe/Berlin",
                "subs.csv:5: hour: -1 is not an hour from 0 to 23",
                "subs.csv:6: frequency: \"monthly\" is not daily, weekly or feed-only",
                "subs.csv:7: max papers: 0 is not between 1 and 50",
                "subs.csv:8: profile: pick at least one topic or keyword, or Trending today",
                "subs.csv:9: max_papers: \"ten\" is not a whole number",
                "subs.csv:10: field 3 has text after its closing quote (write a quote inside a quoted field as \"\")",
                "subs.csv:11: the row has 6 fields but the header has 7 columns (put double quotes around a value that contains a comma)",
                "subs.csv:12: the row has 8 fields but the header has 7 columns (put double quotes around a value that contains a comma)",
            ],
            errors);
    }

    [Fact]
    public void Csv_unterminated_quote_is_reported_on_the_line_its_record_starts()
    {
        var errors = ReadErrors(
            "email,keywords\n" +
            "ann@example.org,diffusion\n" +
            "bob@example.org,\"graphs\n" +
            "carol@example.org,rl\n");

        Assert.Equal(["subs.csv:3: field 2 opens a quote that is never closed"], errors);
    }

    [Fact]
    public void Csv_unterminated_quote_opened_on_a_later_line_of_the_record_names_both_lines()
    {
        var errors = ReadErrors(
            "email,name,keywords\n" +
            "ann@example.org,\"Ann\nSmith\",\"graphs\n" +
            "carol@example.org,Carol,rl\n");

        Assert.Equal(["subs.csv:2: field 3 opens a quote on line 3 that is never closed"], errors);
    }

    [Fact]
    public void Csv_unknown_columns_are_named_and_nothing_is_read()
    {
        var errors = ReadErrors("email,topics,phone,Department\nann@example.org,nlp,123,physics\n");

        Assert.Equal(
            ["subs.csv:1: unknown columns \"phone\", \"Department\"; the columns are email, name, topics, keywords, exclude, timezone, hour, frequency, max_papers, trending"],
            errors);
    }

    [Fact]
    public void Csv_header_without_email_or_with_a_repeated_column_is_rejected()
    {
        Assert.Equal(
            ["subs.csv:1: the header has no \"email\" column; the first row must name the columns (email, name, topics, keywords, exclude, timezone, hour, frequency, max_papers, trending)"],
            ReadErrors("name,topics\nAnn,nlp\n"));
        Assert.Equal(
            ["subs.csv:1: column \"topics\" appears more than once in the header"],
            ReadErrors("email,topics,Topics\nann@example.org,nlp,cv\n"));
    }

    [Fact]
    public void Csv_without_a_header_treats_the_first_row_as_one_and_says_so()
    {
        var errors = ReadErrors("ann@example.org,nlp\n");

        Assert.Equal(
            ["subs.csv:1: the first row must be a header naming the columns (email, name, topics, keywords, exclude, timezone, hour, frequency, max_papers, trending), but it names none of them"],
            errors);
    }

    [Fact]
    public void Empty_file_is_an_error()
    {
        Assert.Equal(
            ["subs.csv:1: the file is empty; it needs a header row naming its columns (email, name, topics, keywords, exclude, timezone, hour, frequency, max_papers, trending) and one row per subscriber"],
            ReadErrors(" \n\n"));
    }

    [Fact]
    public void A_header_with_no_rows_imports_nobody()
    {
        Assert.Empty(ReadOk("email,topics\n"));
    }

    // ---- duplicates and all-or-nothing ----

    [Fact]
    public void Duplicate_addresses_within_a_file_name_the_earlier_line_ignoring_case()
    {
        var errors = ReadErrors(
            "email,topics\n" +
            "ann@example.org,nlp\n" +
            "bob@example.org,cv\n" +
            " Ann@Example.ORG ,rl\n" +
            "bob@example.org,rl\n" +
            "ann@example.org,nlp\n");

        Assert.Equal(
            [
                "subs.csv:4: email: Ann@Example.ORG is already listed on line 2",
                "subs.csv:5: email: bob@example.org is already listed on line 3",
                "subs.csv:6: email: ann@example.org is already listed on line 2",
            ],
            errors);
    }

    [Fact]
    public void One_bad_row_among_good_ones_yields_no_subscribers_and_every_problem()
    {
        var good = string.Concat(Enumerable.Range(0, 50).Select(i => $"user{i}@example.org,nlp,\n"));
        var result = Read("email,topics,hour\n" + good + "bad@example.org,nlp,99\n" + good.Replace("user", "other") + "worse,,\n");

        Assert.False(result.Succeeded);
        Assert.Empty(result.Subscribers);
        Assert.Equal(
            [
                "subs.csv:52: hour: 99 is not an hour from 0 to 23",
                "subs.csv:103: email: the email address needs a name, an @ and a domain",
                "subs.csv:103: profile: pick at least one topic or keyword, or Trending today",
            ],
            result.Errors);
    }

    // ---- JSON lines ----

    [Fact]
    public void Json_lines_accept_arrays_and_semicolon_strings_numbers_and_numeric_strings()
    {
        var subscribers = ReadOk(
            "\n  {\"email\": \"ann@example.org\", \"name\": \"Ann\", \"topics\": [\"nlp\", \"CV\"], \"keywords\": \"diffusion; flow matching\", \"hour\": 6}\n" +
            "\r\n" +
            "{\"Email\": \"bob@example.org\", \"topics\": \"rl\", \"keywords\": [\"graph, neural\", \" \"], \"exclude\": [\"survey\"], \"timezone\": \"Asia/Tokyo\", \"hour\": \"21\", \"frequency\": \"weekly\", \"max_papers\": 5}\r\n" +
            "{\"email\": \"carol@example.org\", \"keywords\": [\"rlhf\"], \"name\": null, \"hour\": null}");

        Assert.Equal(3, subscribers.Count);
        var ann = subscribers[0];
        Assert.Equal("Ann", ann.Name);
        Assert.Equal(["nlp", "cv"], ann.Profile.Topics);
        Assert.Equal(["diffusion", "flow matching"], ann.Profile.Keywords);
        Assert.Equal(6, ann.DeliveryHour);
        Assert.Equal("UTC", ann.TimeZone);

        var bob = subscribers[1];
        Assert.Equal(["rl"], bob.Profile.Topics);
        Assert.Equal(["graph, neural"], bob.Profile.Keywords);
        Assert.Equal(["survey"], bob.Profile.Exclusions);
        Assert.Equal("Asia/Tokyo", bob.TimeZone);
        Assert.Equal(21, bob.DeliveryHour);
        Assert.Equal(DigestFrequency.Weekly, bob.Frequency);
        Assert.Equal(5, bob.MaxPapers);

        var carol = subscribers[2];
        Assert.Null(carol.Name);
        Assert.Equal(8, carol.DeliveryHour);
        Assert.All(subscribers, s => Assert.Equal(SubscriberStatus.Active, s.Status));
        Assert.All(subscribers, s => Assert.Equal(Now, s.CreatedAt));
    }

    [Fact]
    public void Json_lines_report_every_kind_of_problem_with_its_line()
    {
        var errors = ReadErrors(
            "{\"email\": \"ann@example.org\", \"topics\": [\"nlp\"]}\n" +            // 1
            "{\"email\": \"bob@example.org\", \"topics\": [\"nlp\"]\n" +             // 2
            "\n" +                                                                   // 3
            "[\"carol@example.org\"]\n" +                                            // 4
            "{\"email\": \"dave@example.org\", \"topics\": \"nlp\", \"hour\": \"noon\"}\n" + // 5
            "{\"email\": \"erin@example.org\", \"topics\": \"nlp\", \"hour\": 7.5}\n" +  // 6
            "{\"email\": \"frank@example.org\", \"topics\": \"nlp\", \"hour\": true}\n" + // 7
            "{\"email\": 42, \"topics\": \"nlp\"}\n" +                               // 8
            "{\"email\": \"grace@example.org\", \"topics\": [\"nlp\", 3]}\n" +       // 9
            "{\"email\": \"heidi@example.org\", \"topics\": {\"id\": \"nlp\"}}\n" +  // 10
            "{\"email\": \"ivan@example.org\", \"topics\": \"nlp\", \"phone\": \"1\", \"tags\": []}\n" + // 11
            "{\"email\": \"judy@example.org\", \"topics\": \"nlp\", \"EMAIL\": \"x@example.org\"}\n" + // 12
            "{\"email\": \"ANN@example.org\", \"topics\": \"nlp\"}\n",               // 13
            "subs.jsonl");

        Assert.Equal(11, errors.Count);
        Assert.StartsWith("subs.jsonl:2: not valid JSON at byte ", errors[0]);
        Assert.EndsWith("(each line holds one complete object)", errors[0]);
        Assert.Equal(
            [
                "subs.jsonl:4: expected a JSON object such as {\"email\": \"ann@example.org\", \"topics\": [\"nlp\"]}, found an array",
                "subs.jsonl:5: hour: \"noon\" is not a whole number",
                "subs.jsonl:6: hour: \"7.5\" is not a whole number",
                "subs.jsonl:7: hour: expected a number, found true",
                "subs.jsonl:8: email: expected a string, found a number",
                "subs.jsonl:9: topics: item 2 is a number, expected a string",
                "subs.jsonl:10: topics: expected an array of strings or a string with items separated by \";\", found an object",
                "subs.jsonl:11: unknown fields \"phone\", \"tags\"; the fields are email, name, topics, keywords, exclude, timezone, hour, frequency, max_papers, trending",
                "subs.jsonl:12: email: appears more than once",
                "subs.jsonl:13: email: ANN@example.org is already listed on line 1",
            ],
            errors.Skip(1));
    }

    [Fact]
    public void Json_lines_do_not_repeat_a_wrong_value_as_a_missing_one()
    {
        var errors = ReadErrors(
            "{\"email\": \"ann@example.org\", \"topics\": [1, 2]}\n" +
            "{\"email\": [\"bob@example.org\"], \"topics\": [\"astro\"]}\n",
            "subs.jsonl");

        Assert.Equal(
            [
                "subs.jsonl:1: topics: item 1 is a number, expected a string",
                "subs.jsonl:1: topics: item 2 is a number, expected a string",
                "subs.jsonl:2: email: expected a string, found an array",
                "subs.jsonl:2: topics: \"astro\" is not a known topic (known: nlp, cv, rl)",
            ],
            errors);
    }

    [Fact]
    public void A_file_starting_with_anything_but_a_brace_is_read_as_csv()
    {
        var errors = ReadErrors("[{\"email\": \"ann@example.org\"}]\n");

        Assert.StartsWith("subs.csv:1: the first row must be a header", Assert.Single(errors));
    }

    // ---- files ----

    [Fact]
    public void A_file_that_is_not_utf8_is_rejected_with_the_line_of_the_first_bad_byte()
    {
        var path = Path.Combine(Path.GetTempPath(), $"papermailer-import-{Guid.NewGuid():N}.csv");
        try
        {
            var latin1 = Encoding.Latin1.GetBytes("email,name,topics\nann@example.org,Ann,nlp\nzoe@example.org,Zo\u00eb,nlp\n");
            File.WriteAllBytes(path, latin1);

            var result = SubscriberImportReader.Read(path, KnownTopics, new FixedClock(Now));

            Assert.Equal([$"{path}:3: the file is not UTF-8 text; save it as UTF-8 (\"CSV UTF-8\" in spreadsheet programs)"], result.Errors);
            Assert.Empty(result.Subscribers);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_missing_file_is_an_error_not_an_exception()
    {
        var path = Path.Combine(Path.GetTempPath(), $"papermailer-missing-{Guid.NewGuid():N}.csv");

        var result = SubscriberImportReader.Read(path, KnownTopics, new FixedClock(Now));

        Assert.False(result.Succeeded);
        Assert.StartsWith($"{path}: cannot read the file: ", Assert.Single(result.Errors));
    }

    [Fact]
    public void A_hundred_thousand_rows_import_from_a_file()
    {
        const int count = 100_000;
        string[] zones = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney"];
        var path = Path.Combine(Path.GetTempPath(), $"papermailer-import-{Guid.NewGuid():N}.csv");
        try
        {
            using (var writer = new StreamWriter(path, false, new UTF8Encoding(false)))
            {
                writer.Write("email,name,topics,keywords,exclude,timezone,hour,frequency,max_papers\r\n");
                for (var i = 0; i < count; i++)
                {
                    writer.Write($"user{i}@example.org,\"Reader {i}, PhD\",{KnownTopics[i % 3].Id},diffusion;graph neural networks,survey,{zones[i % zones.Length]},{i % 24},{(i % 7 == 0 ? "weekly" : "daily")},{1 + i % 50}\r\n");
                }
            }

            var stopwatch = Stopwatch.StartNew();
            var result = SubscriberImportReader.Read(path, KnownTopics, new FixedClock(Now));
            stopwatch.Stop();
            output.WriteLine($"Read and validated {count:N0} rows in {stopwatch.ElapsedMilliseconds} ms.");

            Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors.Take(5)));
            Assert.Equal(count, result.Subscribers.Count);
            foreach (var i in new[] { 0, 12_345, count - 1 })
            {
                var subscriber = result.Subscribers[i];
                Assert.Equal($"user{i}@example.org", subscriber.Email);
                Assert.Equal($"Reader {i}, PhD", subscriber.Name);
                Assert.Equal([KnownTopics[i % 3].Id], subscriber.Profile.Topics);
                Assert.Equal(["diffusion", "graph neural networks"], subscriber.Profile.Keywords);
                Assert.Equal(["survey"], subscriber.Profile.Exclusions);
                Assert.Equal(zones[i % zones.Length], subscriber.TimeZone);
                Assert.Equal(i % 24, subscriber.DeliveryHour);
                Assert.Equal(i % 7 == 0 ? DigestFrequency.Weekly : DigestFrequency.Daily, subscriber.Frequency);
                Assert.Equal(1 + i % 50, subscriber.MaxPapers);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
