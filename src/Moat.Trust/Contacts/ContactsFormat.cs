namespace Moat.Trust.Contacts;

/// <summary>The kinds of address-book file <see cref="ContactsReader"/> reads.</summary>
public enum ContactsFormat
{
    /// <summary>Decide from the file's content and name.</summary>
    Auto,

    /// <summary>Comma-, semicolon- or tab-separated values: Google, Outlook and other exports, a plain list, or Moat's own trust-list export.</summary>
    Csv,

    /// <summary>vCard 2.1, 3.0 or 4.0 (.vcf), one or many cards.</summary>
    VCard,
}
