using PaperMailer.Rank.Semantic;

namespace PaperMailer.Tests.Rank.Semantic;

public class VectorMathTests
{
    private static float[] Numbers(int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    [Theory]
    [InlineData(384)]
    [InlineData(7)]
    [InlineData(389)]
    public void Dot_equals_the_plain_sum_of_products(int length)
    {
        var (a, b) = (Numbers(length, 1), Numbers(length, 2));
        var plain = a.Zip(b, (x, y) => (double)x * y).Sum();

        Assert.Equal(plain, VectorMath.Dot(a, b), 4);
    }

    [Fact]
    public void DotEach_compares_the_vector_with_every_row()
    {
        var vector = Numbers(384, 3);
        var rows = Enumerable.Range(0, 5).Select(i => Numbers(384, 10 + i)).ToList();
        var target = new float[5];

        new PaperVectors(rows, 384).Similarities(vector, target);

        for (var i = 0; i < 5; i++) Assert.Equal(VectorMath.Dot(vector, rows[i]), target[i], 5);
    }

    [Fact]
    public void Mean_is_element_wise_and_its_dot_product_is_the_mean_of_the_dot_products()
    {
        var vectors = Enumerable.Range(0, 3).Select(i => Numbers(389, 20 + i)).ToList();
        var other = Numbers(389, 30);

        var mean = VectorMath.Mean(vectors, 389);

        Assert.Equal((vectors[0][388] + vectors[1][388] + vectors[2][388]) / 3, mean[388], 5);
        Assert.Equal(vectors.Average(v => VectorMath.Dot(v, other)), VectorMath.Dot(mean, other), 4);
    }

    [Fact]
    public void Vectors_of_different_lengths_are_refused() =>
        Assert.Throws<ArgumentException>(() => VectorMath.Dot(new float[3], new float[4]));
}
