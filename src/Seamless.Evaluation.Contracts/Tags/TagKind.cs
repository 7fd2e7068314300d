namespace Seamless.Evaluation.Tags;

/// <summary>The danbooru tag kinds a tagger label file distinguishes (selected_tags.csv's category column).</summary>
public enum TagKind
{
    General = 0,
    Artist = 1,
    Copyright = 3,
    Character = 4,
    Meta = 5,
    Rating = 9,
}
