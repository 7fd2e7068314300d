using Seamless.Evaluation.Errors;
using Seamless.Evaluation.Tags;

namespace Seamless.Evaluation.Prompts;

/// <summary>
/// The tags prompts are drawn from: by default the tagger's most frequent general tags (by post count, label order
/// when counts are absent), excluding rating and character tags, the prompt prefix and anything the negative prompt
/// names. A user list replaces the frequency rule but keeps the exclusions, and must name tags the tagger knows.
/// </summary>
public sealed class TagPool
{
    private TagPool(IReadOnlyList<string> tags) => Tags = tags;

    public IReadOnlyList<string> Tags { get; }

    public static TagPool FromLabels(TaggerLabels labels, PromptProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(protocol);
        var excluded = Excluded(protocol);
        var tags = labels.All
            .Where(l => l.Kind == TagKind.General && !excluded.Contains(l.Name))
            .Select((l, order) => (l, order))
            .OrderByDescending(x => x.l.Count ?? 0)
            .ThenBy(x => x.order)
            .Take(protocol.PoolSize)
            .Select(x => x.l.Name)
            .ToList();
        return Checked(tags, protocol, "(tagger labels)");
    }

    public static TagPool FromList(IEnumerable<string> userTags, TaggerLabels labels, PromptProtocol protocol, string source)
    {
        ArgumentNullException.ThrowIfNull(userTags);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(protocol);
        var excluded = Excluded(protocol);
        var tags = new List<string>();
        var unknown = new List<string>();
        foreach (var raw in userTags)
        {
            var t = TagText.Canonical(raw);
            if (t.Length == 0 || excluded.Contains(t) || tags.Contains(t))
            {
                continue;
            }

            if (labels.Find(t) is null)
            {
                unknown.Add(t);
            }
            else
            {
                tags.Add(t);
            }
        }

        if (unknown.Count > 0)
        {
            throw new EvaluationException(source, EvaluationError.ProtocolInvalid,
                $"{unknown.Count} tag(s) the tagger cannot detect: {string.Join(", ", unknown.Take(8))}{(unknown.Count > 8 ? ", …" : "")}");
        }

        return Checked(tags, protocol, source);
    }

    /// <summary>
    /// The tags exactly as a benchmark lists them, in order: nothing excluded and nothing checked against the tagger (a
    /// tag it cannot detect counts as missed, as in the original benchmark).
    /// </summary>
    public static TagPool Exactly(IEnumerable<string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        return new TagPool([.. tags]);
    }

    private static HashSet<string> Excluded(PromptProtocol protocol)
    {
        var set = new HashSet<string>(TagText.SplitPrompt(protocol.Negative), StringComparer.Ordinal);
        foreach (var p in protocol.Prefix)
        {
            set.Add(TagText.Canonical(p));
        }

        return set;
    }

    private static TagPool Checked(List<string> tags, PromptProtocol protocol, string source)
    {
        if (tags.Count < protocol.TagsPerPrompt)
        {
            throw new EvaluationException(source, EvaluationError.ProtocolInvalid,
                $"the tag pool holds {tags.Count} tags, fewer than the {protocol.TagsPerPrompt} drawn per prompt; lower --tags-per-prompt or widen the pool");
        }

        return new TagPool(tags);
    }
}
