using System.Collections.Frozen;
using System.Text;

namespace PaperMailer.Rank.Semantic;

/// <summary>
/// A keyword as it is embedded: each well-known acronym of the field in it spelled out before the letters ("RLHF" →
/// "reinforcement learning from human feedback (RLHF)"). The embedding model's tokenizer cuts an acronym it does not
/// know into pieces ("rl", "##hf") that carry little of its meaning, so a profile typed as the acronym alone was
/// similar to almost nothing; papers mostly write the words out. The lexical side learns acronyms from the papers'
/// own definitions instead (<see cref="AcronymTable"/>), which cannot help when no paper of the day defines them.
/// Only what the letters stand for in machine-learning and AI writing, where they mean one thing there; a keyword
/// keeps its letters, so a paper using them still matches.
/// </summary>
public static class KeywordExpansion
{
    private static readonly FrozenDictionary<string, string> Known = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["AGI"] = "artificial general intelligence",
        ["ASR"] = "automatic speech recognition",
        ["CNN"] = "convolutional neural network",
        ["CoT"] = "chain of thought",
        ["DPO"] = "direct preference optimization",
        ["GAN"] = "generative adversarial network",
        ["GCN"] = "graph convolutional network",
        ["GNN"] = "graph neural network",
        ["GRPO"] = "group relative policy optimization",
        ["ICL"] = "in-context learning",
        ["KG"] = "knowledge graph",
        ["KV"] = "key-value",
        ["LLM"] = "large language model",
        ["LoRA"] = "low-rank adaptation",
        ["LSTM"] = "long short-term memory",
        ["MARL"] = "multi-agent reinforcement learning",
        ["MLLM"] = "multimodal large language model",
        ["MoE"] = "mixture of experts",
        ["NER"] = "named entity recognition",
        ["NeRF"] = "neural radiance field",
        ["NLP"] = "natural language processing",
        ["OCR"] = "optical character recognition",
        ["PDDL"] = "planning domain definition language",
        ["PEFT"] = "parameter-efficient fine-tuning",
        ["PPO"] = "proximal policy optimization",
        ["RAG"] = "retrieval-augmented generation",
        ["RL"] = "reinforcement learning",
        ["RLAIF"] = "reinforcement learning from AI feedback",
        ["RLHF"] = "reinforcement learning from human feedback",
        ["RNN"] = "recurrent neural network",
        ["SAE"] = "sparse autoencoder",
        ["SFT"] = "supervised fine-tuning",
        ["SLAM"] = "simultaneous localization and mapping",
        ["TTS"] = "text-to-speech",
        ["VAE"] = "variational autoencoder",
        ["ViT"] = "vision transformer",
        ["VLA"] = "vision-language-action model",
        ["VLM"] = "vision-language model",
        ["VLSI"] = "very large scale integration",
        ["VQA"] = "visual question answering",
        ["XAI"] = "explainable artificial intelligence",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly char[] Punctuation = ['"', '\u201C', '\u201D', '(', ')', ',', '.', ';', ':'];

    /// <summary>The keyword with every known acronym among its words (plural "s" allowed: "GNNs") spelled out before it.</summary>
    public static string Expand(string keyword)
    {
        if (string.IsNullOrEmpty(keyword)) return keyword ?? "";
        var words = keyword.Split(' ');
        var expanded = false;
        var builder = new StringBuilder(keyword.Length + 32);
        foreach (var word in words)
        {
            if (builder.Length > 0) builder.Append(' ');
            var bare = word.Trim(Punctuation);
            if (bare.Length > 0 && Meaning(bare) is { } meaning)
            {
                // Punctuation around the letters stays around the whole: "(GNN)," → "(graph neural network (GNN)),".
                var start = word.IndexOf(bare, StringComparison.Ordinal);
                builder.Append(word, 0, start).Append(meaning).Append(" (").Append(bare).Append(')').Append(word, start + bare.Length, word.Length - start - bare.Length);
                expanded = true;
            }
            else builder.Append(word);
        }
        return expanded ? builder.ToString() : keyword;
    }

    private static string? Meaning(string word) =>
        Known.GetValueOrDefault(word) ?? (word.Length > 2 && word[^1] == 's' && char.IsUpper(word[^2]) ? Known.GetValueOrDefault(word[..^1]) : null);
}
