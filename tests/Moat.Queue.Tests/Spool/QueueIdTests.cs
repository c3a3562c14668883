using Moat.Queue.Spool;

namespace Moat.Queue.Tests.Spool;

public sealed class QueueIdTests
{
    [Fact]
    public void Ids_are_unique_valid_file_names_in_time_order()
    {
        var start = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var ids = Enumerable.Range(0, 1000).Select(i => QueueId.New(start.AddMilliseconds(i))).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        Assert.All(ids, id =>
        {
            Assert.True(QueueId.IsValid(id));
            Assert.Equal(-1, id.IndexOfAny(Path.GetInvalidFileNameChars()));
        });
        Assert.True(QueueId.TryGetTimestamp(ids[0], out var timestamp));
        Assert.Equal(start, timestamp);
    }

    [Theory]
    [InlineData("")]
    [InlineData("../../etc/passwd")]
    [InlineData("0123456789abcdef0123456789")]
    public void Other_strings_are_not_ids(string text) => Assert.False(QueueId.IsValid(text));
}
