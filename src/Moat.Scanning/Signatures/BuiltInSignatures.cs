namespace Moat.Scanning.Signatures;

/// <summary>
/// The database Moat always has, even offline with an empty signature folder: the EICAR test
/// string and the plain (not archived) files of ClamAV's test suite (Debian package
/// clamav-testfiles), so an installation can be tested end to end. Archived variants (clam.zip,
/// clam.tar.gz, clam.7z, the mail files) are left out on purpose: the content walker unpacks
/// them and the inner clam.exe is found then.
/// </summary>
internal static class BuiltInSignatures
{
    public const string EicarName = "Eicar-Signature";
    public const string TestFileName = "ClamAV-Test-File";

    public const string HdbFileName = "builtin.hdb";
    public const string NdbFileName = "builtin.ndb";

    // MD5:size:name:minimum-flevel, computed from clamav-testfiles 1.4 (the comment after each
    // group says which files).
    public const string Hdb = """
        # EICAR test file, exactly 68 bytes
        44d88612fea8a8f36de82e1278abb02f:68:Eicar-Signature
        # clam.exe and its packed variants
        aa15bcf478d165efd2065190eb473bcb:544:ClamAV-Test-File
        2bf6c8403b5b0a6ccdcfc7c7a434507c:7680:ClamAV-Test-File
        c6ccf4ddbccbcaa01b441690a329d1b0:6656:ClamAV-Test-File
        6b39b93ff222f7b979337faae602c6cf:1560:ClamAV-Test-File
        3527d9af6c885b7a469ced2fa4890dc6:47437:ClamAV-Test-File
        517cb11c1ae9e0c119e7699d65b71d05:16384:ClamAV-Test-File
        2891f5b98be269b9f6ffbbb2c84ae4f4:4096:ClamAV-Test-File
        832fd1026a13e16686b55e855bb559df:1852:ClamAV-Test-File
        e77295fd480b05f9d22bd9e4f86c5cf3:3072:ClamAV-Test-File
        1cce7fa3d68fdb429da830618c1ebfee:4096:ClamAV-Test-File
        7f8a72eb63173c80729ebb8c9999d9db:6226:ClamAV-Test-File
        6b2324ea0df473777f58ca8d59d53ea5:211738:ClamAV-Test-File
        21d1acd7ff5a8ff24b08d07be6f47709:257960:ClamAV-Test-File
        a54c20ccd89a41329f3feeca0df4a8b3:1748612:ClamAV-Test-File
        235bb0bcf01b767d5cf5570027c93f6b:1744032:ClamAV-Test-File
        37b9b0f97ea3bd6269e1d0be65185da2:1215239:ClamAV-Test-File
        2f60b47aa5ff8931c786fbe0eafc657e:1184248:ClamAV-Test-File
        # documents: clam.ole.doc, clam.ppt, clam.pdf, clam.exe.rtf, clam.exe.html, clam.chm
        72f471de3952aa10e0c729443ad7f65e:16384:ClamAV-Test-File
        5cc36bead5044641bf74a209721220df:33793:ClamAV-Test-File
        f6a7821809bff648e8dbd72f027f3850:7277:ClamAV-Test-File
        04cf3829d62e39af9ac138a38ed73117:20255:ClamAV-Test-File
        7aede91f6a4399ebc923e196ae01530f:782:ClamAV-Test-File
        e938c5e5e17caf5177e5d205ae01524f:10950:ClamAV-Test-File
        # formats the content walker does not unpack: arj, cab, cpio (4), binhex, bz2, szdd, sis, tnef
        f58327b03afd2a727c3329ba3c0947a7:393:ClamAV-Test-File
        05b9642706a9fc730b8371d239a9b8f9:621:ClamAV-Test-File
        f418df91fafd06fde1a23269d37959b4:1024:ClamAV-Test-File
        72de8ccfc183c86eadd52f5f571d0fd7:1024:ClamAV-Test-File
        0ad868ed626c3cdcd924d83d1dd85ead:1024:ClamAV-Test-File
        b874713310858f4299be1b41d31e4674:1024:ClamAV-Test-File
        2ac43b63da9af01c299936b345746126:833:ClamAV-Test-File
        6fd6a864ed39180892e6f2e75a0c497f:348:ClamAV-Test-File
        e24d74f1524609277d2af5b497121a41:308:ClamAV-Test-File
        9af10e8bc42125f1b471a69e0104e09e:596:ClamAV-Test-File
        9417e3d9e9e227fc029204a23d2b5bf1:9738:ClamAV-Test-File
        """;

    // Body patterns find the test content inside anything larger: the EICAR string anywhere, and
    // clam.exe's 64 bytes of code (file offset 0x40) in any PE file.
    public const string Ndb = """
        Eicar-Signature:0:*:58354f2150254041505b345c505a58353428505e2937434329377d2445494341522d5354414e444152442d414e544956495255532d544553542d46494c452124482b482a
        ClamAV-Test-File:1:*:bb7110400033c050508bf3535350b02940300466ac79f9ba3100780dad50ff66700e1fbe3100e9e5ffb409cd21b44ccd21620c0a0102707617021e4e0c042fda
        """;
}
