using PaperMailer.Storage;
using PaperMailer.Testing;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Storage;

/// <summary>The text vector store's contract, held by both providers.</summary>
public class TextVectorStoreContractTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 16, 6, 0, 0, TimeSpan.Zero);

    private static float[] Vector(float first) => [first, -0.5f, float.Epsilon, 1e-7f];

    [Theory, SqliteStore, PostgresStore]
    public async Task Vectors_read_back_exactly_by_model_and_text_in_one_call(StorageProvider storage)
    {
        using var app = new TestApp(Monday, storage: storage);
        var store = app.Get<ITextVectorStore>();
        var agents = new TextVectorKey("model/32", "language agents");
        var rag = new TextVectorKey("model/32", "retrieval-augmented generation (RAG)");

        await store.SaveAsync([new TextVector(agents, Vector(0.25f)), new TextVector(rag, Vector(-3.5f))], Monday);

        var read = await store.GetAsync([agents, rag, new TextVectorKey("model/32", "never embedded"), new TextVectorKey("model/64", "language agents")]);
        Assert.Equal(2, read.Count);
        Assert.Equal(Vector(0.25f), read[agents]);
        Assert.Equal(Vector(-3.5f), read[rag]);
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task Texts_differing_in_case_or_spacing_are_different_texts(StorageProvider storage)
    {
        using var app = new TestApp(Monday, storage: storage);
        var store = app.Get<ITextVectorStore>();

        await store.SaveAsync([new TextVector(new("model/32", "GNN"), Vector(1))], Monday);

        Assert.Empty(await store.GetAsync([new TextVectorKey("model/32", "gnn"), new TextVectorKey("model/32", "GNN ")]));
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task A_text_saved_again_keeps_its_first_vector_and_the_others_of_the_batch_are_saved(StorageProvider storage)
    {
        using var app = new TestApp(Monday, storage: storage);
        var store = app.Get<ITextVectorStore>();
        var first = new TextVectorKey("model/32", "speech recognition");
        var second = new TextVectorKey("model/32", "tool use");
        await store.SaveAsync([new TextVector(first, Vector(1))], Monday);

        await store.SaveAsync([new TextVector(first, Vector(2)), new TextVector(second, Vector(3)), new TextVector(second, Vector(3))], Monday.AddHours(1));

        var read = await store.GetAsync([first, second]);
        Assert.Equal(Vector(1), read[first]);
        Assert.Equal(Vector(3), read[second]);
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task Texts_up_to_the_longest_kept_are_stored_in_any_script_and_longer_ones_are_not(StorageProvider storage)
    {
        using var app = new TestApp(Monday, storage: storage);
        var store = app.Get<ITextVectorStore>();
        // Three bytes a character in UTF-8 (the most for one UTF-16 unit): the longest key a provider must index.
        var longest = new TextVectorKey("model/32", new string('\u6F22', ITextVectorStore.MaxTextLength));
        var tooLong = new TextVectorKey("model/32", new string('a', ITextVectorStore.MaxTextLength + 1));

        await store.SaveAsync([new TextVector(longest, Vector(1)), new TextVector(tooLong, Vector(2))], Monday);

        Assert.Equal([longest], (await store.GetAsync([longest, tooLong])).Keys);
    }

    [Theory, SqliteStore, PostgresStore]
    public async Task Nothing_asked_or_given_touches_nothing(StorageProvider storage)
    {
        using var app = new TestApp(Monday, storage: storage);
        var store = app.Get<ITextVectorStore>();

        await store.SaveAsync([], Monday);

        Assert.Empty(await store.GetAsync([]));
    }
}
