<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>ft::ui::ArchiveJob</name>
    <message numerus="yes">
        <source>%n file(s) written into the archive</source>
        <translation>
            <numerusform>%n file written into the archive</numerusform>
            <numerusform>%n files written into the archive</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) stored</source>
        <translation>
            <numerusform>%n file stored</numerusform>
            <numerusform>%n files stored</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n already there (not sent)</source>
        <translation>
            <numerusform>, %n already there (not sent)</numerusform>
            <numerusform>, %n already there (not sent)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n kept: the server holds newer versions</source>
        <translation>
            <numerusform>, %n kept: the server holds a newer version</numerusform>
            <numerusform>, %n kept: the server holds newer versions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n not stored yet</source>
        <translation>
            <numerusform>, %n not stored yet</numerusform>
            <numerusform>, %n not stored yet</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Refused, nothing stored: %n entry(ies) not allowed</source>
        <translation>
            <numerusform>Refused, nothing stored: %n entry not allowed</numerusform>
            <numerusform>Refused, nothing stored: %n entries not allowed</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ft::ui::CacheTableModel</name>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last use</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ft::ui::CacheView</name>
    <message>
        <source>Filter cached files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;load</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the selected files from the local cache (the server keeps them)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;lean up to limit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show which files the cache cleaner would delete to get under the limit, then do it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n file(s), %1 of %2 limit</source>
        <translation>
            <numerusform>%n file, %1 of %2 limit</numerusform>
            <numerusform>%n files, %1 of %2 limit</numerusform>
        </translation>
    </message>
    <message>
        <source>over the limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the cache…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove from cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clean up the cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>These %n file(s), %1 in all, will be deleted from the local cache (the oldest versions first):</source>
        <translation>
            <numerusform>This file, %1, will be deleted from the local cache:</numerusform>
            <numerusform>These %n files, %1 in all, will be deleted from the local cache (the oldest versions first):</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Planning…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cache holds %1, within its limit of %2: nothing to delete.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Remove %n file(s) from the local cache? The server keeps them.</source>
        <translation>
            <numerusform>Remove %n file from the local cache? The server keeps them.</numerusform>
            <numerusform>Remove %n files from the local cache? The server keeps them.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ft::ui::CompareDialog</name>
    <message numerus="yes">
        <source>Both folders hold the same %n file(s).</source>
        <translation>
            <numerusform>Both folders hold the same %n file.</numerusform>
            <numerusform>Both folders hold the same %n files.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) differ.</source>
        <translation>
            <numerusform>%n file differs.</numerusform>
            <numerusform>%n files differ.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n upload(s)</source>
        <translation>
            <numerusform>%n upload</numerusform>
            <numerusform>%n uploads</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n download(s)</source>
        <translation>
            <numerusform>%n download</numerusform>
            <numerusform>%n downloads</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n deletion(s) on the server</source>
        <translation>
            <numerusform>%n deletion on the server</numerusform>
            <numerusform>%n deletions on the server</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n local deletion(s)</source>
        <translation>
            <numerusform>%n local deletion</numerusform>
            <numerusform>%n local deletions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Sync cancelled after %n file(s). </source>
        <translation>
            <numerusform>Sync cancelled after %n file. </numerusform>
            <numerusform>Sync cancelled after %n files. </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n action(s) failed: %1</source>
        <translation>
            <numerusform>%n action failed: %1</numerusform>
            <numerusform>%n actions failed: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Synced: %n action(s) done. </source>
        <translation>
            <numerusform>Synced: %n action done. </numerusform>
            <numerusform>Synced: %n actions done. </numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ft::ui::DownloadPlanner</name>
    <message>
        <source>not connected to a store</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ft::ui::DownloadSink</name>
    <message>
        <source>%1: received %2 bytes, the server announced %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: checksum mismatch: the content does not match the server&apos;s SHA-256</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ft::ui::FileTableModel</name>
    <message>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cached</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n file(s)</source>
        <translation>
            <numerusform>%n file</numerusform>
            <numerusform>%n files</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ft::ui::FirstRunDialog</name>
    <message>
        <source>Welcome to Filetracker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;No server is configured. Filetracker works right away on the &lt;b&gt;local store&lt;/b&gt; in %1 (the stand-alone client).&lt;/p&gt;&lt;p&gt;To browse a filetracker server instead, enter its address:&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connect to the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use the &amp;local store</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ft::ui::MainWindow</name>
    <message>
        <source>Cannot connect: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Upload files to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Upload a folder to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Filetracker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;Filetracker %1&lt;/h3&gt;&lt;p&gt;Shared storage for files with a little metadata: a browser and administration tool for filetracker servers and the local cache.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filetracker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local store</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Upload files…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Upload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Upload files into the current directory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Upload &amp;folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Upload folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Upload a folder with everything in it, keeping relative paths</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Download to…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Download</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Download the selected files to a folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fetch the selected files into the cache and open them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the selected files from the store</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy &amp;versioned name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Properties</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Settings and connections…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Filetracker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select &amp;all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server: %1 — %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local store: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Protocol v%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n file(s)</source>
        <translation>
            <numerusform>%n file</numerusform>
            <numerusform>%n files</numerusform>
        </translation>
    </message>
    <message>
        <source>Cache: %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File exists</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Overwrite</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Skip</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Download %n file(s) to</source>
        <translation>
            <numerusform>Download %n file to</numerusform>
            <numerusform>Download %n files to</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot open: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No application to open %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>…and %n more</source>
        <translation>
            <numerusform>…and %n more</numerusform>
            <numerusform>…and %n more</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete files</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Delete %n file(s) from %1? This cannot be undone.</source>
        <translation>
            <numerusform>Delete %n file from %1? This cannot be undone.</numerusform>
            <numerusform>Delete %n files from %1? This cannot be undone.</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) could not be deleted.</source>
        <translation>
            <numerusform>%n file could not be deleted.</numerusform>
            <numerusform>%n files could not be deleted.</numerusform>
        </translation>
    </message>
    <message>
        <source>Transfers in progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fetching versions and sizes to sort: %1 of %2 (change directory to cancel)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Copying %n file(s) for opening…</source>
        <translation>
            <numerusform>Copying %n file for opening…</numerusform>
            <numerusform>Copying %n files for opening…</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot drag out: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove from cache…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the selected files from the local cache (the server keeps them)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Removed %n file(s) from the local cache; the server keeps them.</source>
        <translation>
            <numerusform>Removed %n file from the local cache; the server keeps them.</numerusform>
            <numerusform>Removed %n files from the local cache; the server keeps them.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Removed %n file(s) from the local cache; %1</source>
        <translation>
            <numerusform>Removed %n file from the local cache; %1</numerusform>
            <numerusform>Removed %n files from the local cache; %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Download %n item(s) with everything in the folders to</source>
        <translation>
            <numerusform>Download %n item with everything in the folders to</numerusform>
            <numerusform>Download %n items with everything in the folders to</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Downloaded %n file(s)</source>
        <translation>
            <numerusform>Downloaded %n file</numerusform>
            <numerusform>Downloaded %n files</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>skipped %n already in the folder</source>
        <translation>
            <numerusform>skipped %n already in the folder</numerusform>
            <numerusform>skipped %n already in the folder</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Counting the files in %n folder(s)…</source>
        <translation>
            <numerusform>Counting the files in %n folder…</numerusform>
            <numerusform>Counting the files in %n folders…</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot delete: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Deleting %n file(s)…</source>
        <translation>
            <numerusform>Deleting %n file…</numerusform>
            <numerusform>Deleting %n files…</numerusform>
        </translation>
    </message>
    <message>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted %1 of %2 files…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Deleted %n file(s).</source>
        <translation>
            <numerusform>Deleted %n file.</numerusform>
            <numerusform>Deleted %n files.</numerusform>
        </translation>
    </message>
    <message>
        <source>The cache holds %1, over its limit of %2: cleaning up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>size unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>date unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is already in the store. Overwrite it with a new version from your file?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 already exists in the folder. Overwrite it with the file from the store?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your file: %1, modified %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In the store: %1, version of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keep both</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Do the same for the other %n conflict(s)</source>
        <translation>
            <numerusform>Do the same for the other %n conflict</numerusform>
            <numerusform>Do the same for the other %n conflicts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n folder(s)</source>
        <translation>
            <numerusform>%n folder</numerusform>
            <numerusform>%n folders</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s), %1</source>
        <translation>
            <numerusform>%n file, %1</numerusform>
            <numerusform>%n files, %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete %1 with everything in it (%2) from %3? This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cache over its limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The local cache holds %1, over its limit of %2. Clean it up now?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The oldest versions are deleted first; you see the list before anything goes. Settings can make this automatic.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Clean up…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Not now</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n transfer(s) have not finished. They can resume the next time Filetracker starts, or be cancelled now.</source>
        <translation>
            <numerusform>%n transfer has not finished. It can resume the next time Filetracker starts, or be cancelled now.</numerusform>
            <numerusform>%n transfers have not finished. They can resume the next time Filetracker starts, or be cancelled now.</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Keep running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel transfers and &amp;quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>filtered: %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Protocol v%1 + %n extension(s)</source>
        <translation>
            <numerusform>Protocol v%1 + %n extension</numerusform>
            <numerusform>Protocol v%1 + %n extensions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n archive(s)</source>
        <translation>
            <numerusform>%n archive</numerusform>
            <numerusform>%n archives</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 was not unpacked into %2: %n of its entries are not allowed, so nothing was stored.</source>
        <translation>
            <numerusform>%1 was not unpacked into %2: %n of its entries is not allowed, so nothing was stored.</numerusform>
            <numerusform>%1 was not unpacked into %2: %n of its entries are not allowed, so nothing was stored.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n transfer(s) have not finished. Quitting cancels them.</source>
        <translation>
            <numerusform>%n transfer has not finished. Quitting cancels it.</numerusform>
            <numerusform>%n transfers have not finished. Quitting cancels them.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ft::ui::OpenCopies</name>
    <message>
        <source>Cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot create %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot make %1 read-only: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot create a temporary folder in %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot create %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No temporary folder for the copy to open (is TMPDIR an existing folder?)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot make %1 writable: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ft::ui::ProfileSession</name>
    <message>
        <source>not connected to a store</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ft::ui::ProfileSettings</name>
    <message>
        <source>Local store</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ft::ui::PropertiesDialog</name>
    <message>
        <source>Properties of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SHA-256:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In the local cache:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>asking the server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2 bytes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not known</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not known (the server does not send it; open the file to compute it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>computing from the cached copy…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ft::ui::RemoteBrowser</name>
    <message>
        <source>Local store</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not connected to a store</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ft::ui::RemoteView</name>
    <message>
        <source>%1@%2 is not the newest version; the store lists %1@%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot go to %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by name or *.glob</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The current folder. Type or paste a folder or a file&apos;s name (with @version) and press Enter (Ctrl+L)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Go to the parent folder (Backspace, Alt+Up)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Go back (Alt+Left)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forward</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Go forward (Alt+Right)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Go to…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by name or *.glob (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ft::ui::ServerUrl</name>
    <message>
        <source>invalid server URL &quot;%1&quot;: expected http://HOST[:PORT]</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ft::ui::SettingsDialog</name>
    <message>
        <source>Settings and connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>empty: the local store, no server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Server URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Cache directory:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cache &amp;limit:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cache directory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection &amp;profiles:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clean up the cache &amp;automatically when a download takes it over its limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ft::ui::SizeFormat</name>
    <message>
        <source>%1/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n byte(s)</source>
        <translation>
            <numerusform>%n byte</numerusform>
            <numerusform>%n bytes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ft::ui::StoreJob</name>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ft::ui::TransferModel</name>
    <message>
        <source>Queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compressing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Uploading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Downloading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Direction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Speed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Upload</source>
        <comment>transfer direction</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Download</source>
        <comment>transfer direction</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <comment>transfer direction</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ft::ui::TransferQueue</name>
    <message>
        <source>not connected to a store</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not started: queued for %1, now connected to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no such transfer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it has not failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not retried: started on %1, now connected to %2 (connect to %1 again to retry)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ft::ui::TransfersDock</name>
    <message numerus="yes">
        <source>%n running</source>
        <translation>
            <numerusform>%n running</numerusform>
            <numerusform>%n running</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n queued</source>
        <translation>
            <numerusform>%n queued</numerusform>
            <numerusform>%n queued</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n paused</source>
        <translation>
            <numerusform>%n paused</numerusform>
            <numerusform>%n paused</numerusform>
        </translation>
    </message>
    <message>
        <source>Transfers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel the selected transfers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start the selected failed or cancelled transfers again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;lear finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove finished, failed and cancelled transfers from the list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At once:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How many transfers run at the same time</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ft::ui::UploadPlanner</name>
    <message>
        <source>%1: no such file</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Browse and manage a filetracker store.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect to the server at URL (not saved).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use DIR as the cache (or local store) directory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Do not show the first-run dialog.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ft::ui::HistoryDialog</name>
    <message numerus="yes">
        <source>%n version(s)</source>
        <translation>
            <numerusform>%n version</numerusform>
            <numerusform>%n versions</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ft::ui::VersionCompareDialog</name>
    <message numerus="yes">
        <source>%n line(s) differ (highlighted).</source>
        <translation>
            <numerusform>%n line differs (highlighted).</numerusform>
            <numerusform>%n lines differ (highlighted).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ft::ui::SearchView</name>
    <message numerus="yes">
        <source>%Ln match(es) in %1</source>
        <translation>
            <numerusform>%Ln match in %1</numerusform>
            <numerusform>%Ln matches in %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ft::ui::DirectoryTreeModel</name>
    <message numerus="yes">
        <source>%n file(s)</source>
        <translation>
            <numerusform>%n file</numerusform>
            <numerusform>%n files</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ft::ui::CacheReportView</name>
    <message numerus="yes">
        <source>%1, reported at %2: %n file(s), %3 (read-only)</source>
        <translation>
            <numerusform>%1, reported at %2: %n file, %3 (read-only)</numerusform>
            <numerusform>%1, reported at %2: %n files, %3 (read-only)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) were in use.</source>
        <translation>
            <numerusform>%n file was in use.</numerusform>
            <numerusform>%n files were in use.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ft::ui::ChecksView</name>
    <message numerus="yes">
        <source>(only the first %n problem(s) are listed)</source>
        <translation>
            <numerusform>(only the first problem is listed)</numerusform>
            <numerusform>(only the first %n problems are listed)</numerusform>
        </translation>
    </message>
</context>
</TS>
