using System.Text;
using PaperMailer.Collect;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Collect;

public class PaperFileReaderTests
{
    [Fact]
    public void Reads_every_paper_of_the_recorded_daily_papers_response_with_its_fields()
    {
        var papers = SamplePapers.Load();

        Assert.Equal(30, papers.Count);
        Assert.Equal(30, papers.Select(p => p.Id).Distinct().Count());
        var msa = Assert.Single(papers, p => p.Id == "2606.13392");
        Assert.Equal("MiniMax Sparse Attention", msa.Title);
        Assert.Equal(103, msa.Upvotes);
        Assert.Equal(4, msa.Comments);
        Assert.Equal("https://github.com/MiniMax-AI/MSA", msa.GithubRepo);
        Assert.Equal("huggingface", msa.Source);
        var first = papers[0];
        Assert.Equal("2606.00467", first.Id);
        Assert.Equal(["Etienne Casanova", "Rafal Kocielnik", "R. Michael Alvarez"], first.Authors);
        Assert.Contains("zero-shot annotation", first.AiKeywords);
        Assert.StartsWith("Large Language Models (LLMs) are increasingly used", first.Abstract);
        Assert.Equal(new DateTimeOffset(2026, 5, 30, 0, 0, 0, TimeSpan.Zero), first.PublishedAt);
    }

    [Fact]
    public void Truncated_json_is_refused_with_the_file_and_the_position()
    {
        var json = "[{\"paper\": {\"id\": \"2606.00001\", \"title\": \"A\",\n \"summary\": \"trunc";

        var error = Assert.Throws<PaperFormatException>(() => PaperFileReader.Read(Encoding.UTF8.GetBytes(json), "day.json"));

        Assert.StartsWith("day.json: not valid JSON at line 2", error.Message);
    }

    [Fact]
    public void A_missing_title_names_the_item_and_the_field()
    {
        var json = """[{"paper": {"id": "2606.00001", "title": "Fine", "summary": "x"}}, {"paper": {"id": "2606.00002", "summary": "x"}}]""";

        var error = Assert.Throws<PaperFormatException>(() => PaperFileReader.Read(Encoding.UTF8.GetBytes(json), "day.json"));

        Assert.Equal("day.json: item 1.paper.title: required text is missing or empty.", error.Message);
    }

    [Fact]
    public void An_id_that_is_not_an_arxiv_identifier_is_refused()
    {
        var json = """[{"id": "not-an-id", "title": "T", "abstract": "A"}]""";

        var error = Assert.Throws<PaperFormatException>(() => PaperFileReader.Read(Encoding.UTF8.GetBytes(json), "p.json"));

        Assert.Contains("\"not-an-id\" is not an arXiv identifier", error.Message);
    }

    [Fact]
    public void Plain_papers_arrays_are_read_with_versions_stripped_and_whitespace_collapsed()
    {
        var json = """[{"id": "2401.01234v3", "title": "Graph  Neural\n  Networks", "abstract": "We study\tGNNs."}, {"id": "hep-th/9901001", "title": "Old", "abstract": ""}]""";

        var papers = PaperFileReader.Read(Encoding.UTF8.GetBytes(json), "p.json");

        Assert.Equal(["2401.01234", "hep-th/9901001"], papers.Select(p => p.Id));
        Assert.Equal("Graph Neural Networks", papers[0].Title);
        Assert.Equal("We study GNNs.", papers[0].Abstract);
    }

    [Fact]
    public void The_top_level_must_be_an_array()
    {
        var error = Assert.Throws<PaperFormatException>(() => PaperFileReader.Read("""{"papers": []}"""u8, "p.json"));
        Assert.Equal("p.json: expected a JSON array of papers at the top level, found Object.", error.Message);
    }
}
