<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pl_PL" sourcelanguage="en">
<context>
    <name>ft::ui::ArchiveJob</name>
    <message numerus="yes">
        <source>%n file(s) written into the archive</source>
        <translation>
            <numerusform>%n plik zapisany w archiwum</numerusform>
            <numerusform>%n pliki zapisane w archiwum</numerusform>
            <numerusform>%n plików zapisanych w archiwum</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) stored</source>
        <translation>
            <numerusform>%n plik zapisany</numerusform>
            <numerusform>%n pliki zapisane</numerusform>
            <numerusform>%n plików zapisanych</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n already there (not sent)</source>
        <translation>
            <numerusform>, %n już był (nie wysłano)</numerusform>
            <numerusform>, %n już były (nie wysłano)</numerusform>
            <numerusform>, %n już było (nie wysłano)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n kept: the server holds newer versions</source>
        <translation>
            <numerusform>, %n pozostawiony: serwer ma nowsze wersje</numerusform>
            <numerusform>, %n pozostawione: serwer ma nowsze wersje</numerusform>
            <numerusform>, %n pozostawionych: serwer ma nowsze wersje</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n not stored yet</source>
        <translation>
            <numerusform>, %n jeszcze nie zapisany</numerusform>
            <numerusform>, %n jeszcze nie zapisane</numerusform>
            <numerusform>, %n jeszcze nie zapisanych</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Refused, nothing stored: %n entry(ies) not allowed</source>
        <translation>
            <numerusform>Odrzucono, nic nie zapisano: %n niedozwolony wpis</numerusform>
            <numerusform>Odrzucono, nic nie zapisano: %n niedozwolone wpisy</numerusform>
            <numerusform>Odrzucono, nic nie zapisano: %n niedozwolonych wpisów</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (%2; Retry stores the rest)</source>
        <translation>%1 (%2; Ponów zapisze resztę)</translation>
    </message>
</context>
<context>
    <name>ft::ui::CacheTableModel</name>
    <message>
        <source>Name</source>
        <translation>Nazwa</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Wersja</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Rozmiar</translation>
    </message>
    <message>
        <source>Last use</source>
        <translation>Ostatnie użycie</translation>
    </message>
</context>
<context>
    <name>ft::ui::CacheView</name>
    <message>
        <source>Filter cached files</source>
        <translation>Filtruj pliki w pamięci podręcznej</translation>
    </message>
    <message>
        <source>Re&amp;load</source>
        <translation>&amp;Wczytaj ponownie</translation>
    </message>
    <message>
        <source>&amp;Remove selected</source>
        <translation>&amp;Usuń zaznaczone</translation>
    </message>
    <message>
        <source>Delete the selected files from the local cache (the server keeps them)</source>
        <translation>Usuń zaznaczone pliki z lokalnej pamięci podręcznej (serwer je zachowuje)</translation>
    </message>
    <message>
        <source>C&amp;lean up to limit…</source>
        <translation>&amp;Oczyść do limitu…</translation>
    </message>
    <message>
        <source>Show which files the cache cleaner would delete to get under the limit, then do it</source>
        <translation>Pokaż, które pliki zostałyby usunięte, aby zmieścić się w limicie, a potem je usuń</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Anuluj</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s), %1 of %2 limit</source>
        <translation>
            <numerusform>%n plik, %1 z limitu %2</numerusform>
            <numerusform>%n pliki, %1 z limitu %2</numerusform>
            <numerusform>%n plików, %1 z limitu %2</numerusform>
        </translation>
    </message>
    <message>
        <source>over the limit</source>
        <translation>ponad limit</translation>
    </message>
    <message>
        <source>Reading the cache…</source>
        <translation>Wczytywanie pamięci podręcznej…</translation>
    </message>
    <message>
        <source>Remove from cache</source>
        <translation>Usuwanie z pamięci podręcznej</translation>
    </message>
    <message>
        <source>Removing…</source>
        <translation>Usuwanie…</translation>
    </message>
    <message>
        <source>Clean up the cache</source>
        <translation>Czyszczenie pamięci podręcznej</translation>
    </message>
    <message numerus="yes">
        <source>These %n file(s), %1 in all, will be deleted from the local cache (the oldest versions first):</source>
        <translation>
            <numerusform>Ten %n plik (razem %1) zostanie usunięty z lokalnej pamięci podręcznej (najpierw najstarsze wersje):</numerusform>
            <numerusform>Te %n pliki (razem %1) zostaną usunięte z lokalnej pamięci podręcznej (najpierw najstarsze wersje):</numerusform>
            <numerusform>Tych %n plików (razem %1) zostanie usuniętych z lokalnej pamięci podręcznej (najpierw najstarsze wersje):</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete them</source>
        <translation>Usuń je</translation>
    </message>
    <message>
        <source>Planning…</source>
        <translation>Planowanie…</translation>
    </message>
    <message>
        <source>The cache holds %1, within its limit of %2: nothing to delete.</source>
        <translation>Pamięć podręczna zajmuje %1, w granicach limitu %2: nie ma czego usuwać.</translation>
    </message>
    <message>
        <source>Deleting…</source>
        <translation>Usuwanie…</translation>
    </message>
    <message numerus="yes">
        <source>Remove %n file(s) from the local cache? The server keeps them.</source>
        <translation>
            <numerusform>Usunąć %n plik z lokalnej pamięci podręcznej? Serwer go zachowuje.</numerusform>
            <numerusform>Usunąć %n pliki z lokalnej pamięci podręcznej? Serwer je zachowuje.</numerusform>
            <numerusform>Usunąć %n plików z lokalnej pamięci podręcznej? Serwer je zachowuje.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ft::ui::CertificateDialog</name>
    <message>
        <source>Untrusted certificate — Filetracker</source>
        <translation>Niezaufany certyfikat — Filetracker</translation>
    </message>
    <message>
        <source>&lt;b&gt;Warning: the certificate of %1 has changed.&lt;/b&gt; This profile trusts another certificate (SHA-256 %2). Someone may be pretending to be the server; accept only if you know it was replaced.</source>
        <translation>&lt;b&gt;Uwaga: certyfikat serwera %1 się zmienił.&lt;/b&gt; Ten profil ufa innemu certyfikatowi (SHA-256 %2). Ktoś może podszywać się pod serwer; zaakceptuj tylko, jeśli wiesz, że certyfikat wymieniono.</translation>
    </message>
    <message>
        <source>The system does not trust the certificate of %1. Check its fingerprint with the server&apos;s administrator before you accept it.</source>
        <translation>System nie ufa certyfikatowi serwera %1. Zanim go zaakceptujesz, sprawdź jego odcisk z administratorem serwera.</translation>
    </message>
    <message>
        <source>Subject:</source>
        <translation>Podmiot:</translation>
    </message>
    <message>
        <source>Issuer:</source>
        <translation>Wystawca:</translation>
    </message>
    <message>
        <source>SHA-256 fingerprint:</source>
        <translation>Odcisk SHA-256:</translation>
    </message>
    <message>
        <source>Valid:</source>
        <translation>Ważny:</translation>
    </message>
    <message>
        <source>from %1 to %2</source>
        <translation>od %1 do %2</translation>
    </message>
    <message>
        <source>Problems:</source>
        <translation>Problemy:</translation>
    </message>
    <message>
        <source>Accept &amp;once</source>
        <translation>Akceptuj &amp;raz</translation>
    </message>
    <message>
        <source>&amp;Always</source>
        <translation>&amp;Zawsze</translation>
    </message>
    <message>
        <source>Trust this certificate for this profile from now on (its fingerprint is kept in the profile)</source>
        <translation>Od teraz ufaj temu certyfikatowi w tym profilu (jego odcisk zostanie zapisany w profilu)</translation>
    </message>
</context>
<context>
    <name>ft::ui::CompareDialog</name>
    <message>
        <source>Reading both folders…</source>
        <translation>Odczytywanie obu folderów…</translation>
    </message>
    <message>
        <source>Asking the server about %1 of %2 files…</source>
        <translation>Pytanie serwera o pliki: %1 z %2…</translation>
    </message>
    <message>
        <source>Reading %1 of %2 files from the server to compare them (it sends no checksums)…</source>
        <translation>Odczytywanie z serwera plików do porównania: %1 z %2 (serwer nie podaje sum kontrolnych)…</translation>
    </message>
    <message>
        <source>Comparing contents: %1 of %2 hashed…</source>
        <translation>Porównywanie zawartości: obliczono sumy dla %1 z %2…</translation>
    </message>
    <message>
        <source>Comparison cancelled.</source>
        <translation>Porównanie anulowano.</translation>
    </message>
    <message>
        <source>Cannot compare: %1</source>
        <translation>Nie można porównać: %1</translation>
    </message>
    <message numerus="yes">
        <source>Both folders hold the same %n file(s).</source>
        <translation>
            <numerusform>Oba foldery zawierają ten sam %n plik.</numerusform>
            <numerusform>Oba foldery zawierają te same %n pliki.</numerusform>
            <numerusform>Oba foldery zawierają tych samych %n plików.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) differ.</source>
        <translation>
            <numerusform>%n plik się różni.</numerusform>
            <numerusform>%n pliki się różnią.</numerusform>
            <numerusform>%n plików się różni.</numerusform>
        </translation>
    </message>
    <message>
        <source>Version %1 (%2)</source>
        <translation>Wersja %1 (%2)</translation>
    </message>
    <message>
        <source>Only local (%1)</source>
        <translation>Tylko lokalnie (%1)</translation>
    </message>
    <message>
        <source>Only on the server (%1)</source>
        <translation>Tylko na serwerze (%1)</translation>
    </message>
    <message>
        <source>Differs (%1)</source>
        <translation>Różni się (%1)</translation>
    </message>
    <message>
        <source>Same (%1)</source>
        <translation>Takie same (%1)</translation>
    </message>
    <message>
        <source>only local</source>
        <translation>tylko lokalnie</translation>
    </message>
    <message>
        <source>only on the server</source>
        <translation>tylko na serwerze</translation>
    </message>
    <message>
        <source>differs</source>
        <translation>różni się</translation>
    </message>
    <message>
        <source>same</source>
        <translation>taki sam</translation>
    </message>
    <message>
        <source>not compared</source>
        <translation>nieporównany</translation>
    </message>
    <message>
        <source>Upload %1 (new)</source>
        <translation>Wyślij %1 (nowy)</translation>
    </message>
    <message>
        <source>Upload %1 (changed)</source>
        <translation>Wyślij %1 (zmieniony)</translation>
    </message>
    <message>
        <source>Download %1 (new)</source>
        <translation>Pobierz %1 (nowy)</translation>
    </message>
    <message>
        <source>Download %1 (changed)</source>
        <translation>Pobierz %1 (zmieniony)</translation>
    </message>
    <message>
        <source>Delete %1 from the server</source>
        <translation>Usuń %1 z serwera</translation>
    </message>
    <message>
        <source>Delete %1 (local)</source>
        <translation>Usuń %1 (lokalnie)</translation>
    </message>
    <message>
        <source>Upload changed and missing</source>
        <translation>Wyślij zmienione i brakujące</translation>
    </message>
    <message>
        <source>Download changed and missing</source>
        <translation>Pobierz zmienione i brakujące</translation>
    </message>
    <message numerus="yes">
        <source>%n upload(s)</source>
        <translation>
            <numerusform>%n wysłanie</numerusform>
            <numerusform>%n wysłania</numerusform>
            <numerusform>%n wysłań</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n download(s)</source>
        <translation>
            <numerusform>%n pobranie</numerusform>
            <numerusform>%n pobrania</numerusform>
            <numerusform>%n pobrań</numerusform>
        </translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message numerus="yes">
        <source>%n deletion(s) on the server</source>
        <translation>
            <numerusform>%n usunięcie na serwerze</numerusform>
            <numerusform>%n usunięcia na serwerze</numerusform>
            <numerusform>%n usunięć na serwerze</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n local deletion(s)</source>
        <translation>
            <numerusform>%n usunięcie lokalne</numerusform>
            <numerusform>%n usunięcia lokalne</numerusform>
            <numerusform>%n usunięć lokalnych</numerusform>
        </translation>
    </message>
    <message>
        <source>This will do exactly the following: %1.</source>
        <translation>Zostanie wykonane dokładnie to: %1.</translation>
    </message>
    <message>
        <source>Upload</source>
        <translation>Wyślij</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Pobierz</translation>
    </message>
    <message>
        <source>Sync and delete</source>
        <translation>Synchronizuj i usuń</translation>
    </message>
    <message>
        <source>Nothing to do: the destination already holds the same files.</source>
        <translation>Nic do zrobienia: miejsce docelowe zawiera już te same pliki.</translation>
    </message>
    <message>
        <source>Syncing: %1 of %2 done…</source>
        <translation>Synchronizacja: wykonano %1 z %2…</translation>
    </message>
    <message numerus="yes">
        <source>Sync cancelled after %n file(s). </source>
        <translation>
            <numerusform>Synchronizację anulowano po %n pliku. </numerusform>
            <numerusform>Synchronizację anulowano po %n plikach. </numerusform>
            <numerusform>Synchronizację anulowano po %n plikach. </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n action(s) failed: %1</source>
        <translation>
            <numerusform>Nie powiodła się %n operacja: %1</numerusform>
            <numerusform>Nie powiodły się %n operacje: %1</numerusform>
            <numerusform>Nie powiodło się %n operacji: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Synced: %n action(s) done. </source>
        <translation>
            <numerusform>Zsynchronizowano: wykonano %n operację. </numerusform>
            <numerusform>Zsynchronizowano: wykonano %n operacje. </numerusform>
            <numerusform>Zsynchronizowano: wykonano %n operacji. </numerusform>
        </translation>
    </message>
    <message>
        <source>Compare %1 with %2</source>
        <translation>Porównanie %1 z %2</translation>
    </message>
    <message>
        <source>Local folder: %1
Server folder: %2 (on %3)</source>
        <translation>Folder lokalny: %1
Folder na serwerze: %2 (na %3)</translation>
    </message>
    <message>
        <source>Local folder: %1
Store folder: %2 (in %3)</source>
        <translation>Folder lokalny: %1
Folder magazynu: %2 (w %3)</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nazwa</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Stan</translation>
    </message>
    <message>
        <source>Local size</source>
        <translation>Rozmiar lokalny</translation>
    </message>
    <message>
        <source>Server size</source>
        <translation>Rozmiar na serwerze</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Anuluj</translation>
    </message>
    <message>
        <source>Compare again</source>
        <translation>Porównaj ponownie</translation>
    </message>
    <message>
        <source>Upload the files that are only local or differ to the server folder</source>
        <translation>Wyślij do folderu na serwerze pliki, które są tylko lokalnie lub się różnią</translation>
    </message>
    <message>
        <source>Delete server extras</source>
        <translation>Usuń nadmiarowe z serwera</translation>
    </message>
    <message>
        <source>Also delete the files that are only on the server</source>
        <translation>Usuń też pliki, które są tylko na serwerze</translation>
    </message>
    <message>
        <source>Download the files that are only on the server or differ into the local folder</source>
        <translation>Pobierz do folderu lokalnego pliki, które są tylko na serwerze lub się różnią</translation>
    </message>
    <message>
        <source>Delete local extras</source>
        <translation>Usuń nadmiarowe lokalne</translation>
    </message>
    <message>
        <source>Also delete the files that are only in the local folder</source>
        <translation>Usuń też pliki, które są tylko w folderze lokalnym</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Zamknij</translation>
    </message>
    <message>
        <source>Not uploaded: %1</source>
        <translation>Nie wysłano: %1</translation>
    </message>
</context>
<context>
    <name>ft::ui::DownloadPlanner</name>
    <message>
        <source>not connected to a store</source>
        <translation>brak połączenia z magazynem</translation>
    </message>
</context>
<context>
    <name>ft::ui::DownloadSink</name>
    <message>
        <source>%1: received %2 bytes, the server announced %3</source>
        <translation>%1: odebrano %2 bajtów, serwer zapowiedział %3</translation>
    </message>
    <message>
        <source>%1: checksum mismatch: the content does not match the server&apos;s SHA-256</source>
        <translation>%1: niezgodna suma kontrolna: zawartość nie pasuje do SHA-256 podanego przez serwer</translation>
    </message>
</context>
<context>
    <name>ft::ui::FileTableModel</name>
    <message>
        <source>yes</source>
        <translation>tak</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nazwa</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Wersja</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Rozmiar</translation>
    </message>
    <message>
        <source>Cached</source>
        <translation>W pamięci podręcznej</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s)</source>
        <translation>
            <numerusform>%n plik</numerusform>
            <numerusform>%n pliki</numerusform>
            <numerusform>%n plików</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ft::ui::FirstRunDialog</name>
    <message>
        <source>Welcome to Filetracker</source>
        <translation>Witamy w Filetrackerze</translation>
    </message>
    <message>
        <source>&lt;p&gt;No server is configured. Filetracker works right away on the &lt;b&gt;local store&lt;/b&gt; in %1 (the stand-alone client).&lt;/p&gt;&lt;p&gt;To browse a filetracker server instead, enter its address:&lt;/p&gt;</source>
        <translation>&lt;p&gt;Nie skonfigurowano serwera. Filetracker od razu działa na &lt;b&gt;magazynie lokalnym&lt;/b&gt; w %1 (klient samodzielny).&lt;/p&gt;&lt;p&gt;Aby zamiast tego przeglądać serwer filetrackera, podaj jego adres:&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&amp;Connect to the server</source>
        <translation>&amp;Połącz z serwerem</translation>
    </message>
    <message>
        <source>Use the &amp;local store</source>
        <translation>Użyj magazynu &amp;lokalnego</translation>
    </message>
</context>
<context>
    <name>ft::ui::FolderComparer</name>
    <message>
        <source>not connected</source>
        <translation>brak połączenia</translation>
    </message>
    <message>
        <source>%1: no such folder</source>
        <translation>%1: nie ma takiego folderu</translation>
    </message>
    <message>
        <source>cannot create a temporary folder: %1</source>
        <translation>nie można utworzyć folderu tymczasowego: %1</translation>
    </message>
</context>
<context>
    <name>ft::ui::FolderSync</name>
    <message>
        <source>%1: cannot delete: %2</source>
        <translation>%1: nie można usunąć: %2</translation>
    </message>
</context>
<context>
    <name>ft::ui::HistoryDialog</name>
    <message>
        <source>History of %1</source>
        <translation>Historia %1</translation>
    </message>
    <message>
        <source>Versions of %1 the server keeps, newest first:</source>
        <translation>Wersje %1 przechowywane przez serwer, od najnowszej:</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Wersja</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Rozmiar</translation>
    </message>
    <message>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Stan</translation>
    </message>
    <message>
        <source>&amp;Download…</source>
        <translation>&amp;Pobierz…</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>&amp;Otwórz</translation>
    </message>
    <message>
        <source>&amp;Restore…</source>
        <translation>P&amp;rzywróć…</translation>
    </message>
    <message>
        <source>&amp;Compare</source>
        <translation>Po&amp;równaj</translation>
    </message>
    <message>
        <source>Save the selected version as a local file</source>
        <translation>Zapisz wybraną wersję jako plik lokalny</translation>
    </message>
    <message>
        <source>Open a read-only copy of the selected version</source>
        <translation>Otwórz kopię wybranej wersji tylko do odczytu</translation>
    </message>
    <message>
        <source>Make the selected version the current one again (under a new version)</source>
        <translation>Uczyń wybraną wersję znowu bieżącą (pod nową wersją)</translation>
    </message>
    <message>
        <source>Show the text of two selected versions side by side (text files under 1 MiB)</source>
        <translation>Pokaż obok siebie tekst dwóch wybranych wersji (pliki tekstowe poniżej 1 MiB)</translation>
    </message>
    <message>
        <source>Save version as</source>
        <translation>Zapisz wersję jako</translation>
    </message>
    <message>
        <source>Restore version</source>
        <translation>Przywróć wersję</translation>
    </message>
    <message>
        <source>Make %1 the current version again?

It is stored under a new version; the current one is kept in the history.</source>
        <translation>Uczynić %1 znowu bieżącą wersją?

Zostanie zapisana pod nową wersją; obecna zostanie zachowana w historii.</translation>
    </message>
    <message>
        <source>Not connected to a server</source>
        <translation>Brak połączenia z serwerem</translation>
    </message>
    <message>
        <source>Asking the server for the versions…</source>
        <translation>Pobieranie listy wersji z serwera…</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Anulowano</translation>
    </message>
    <message>
        <source>current</source>
        <translation>bieżąca</translation>
    </message>
    <message>
        <source>replaced %1</source>
        <translation>zastąpiona %1</translation>
    </message>
    <message numerus="yes">
        <source>%n version(s)</source>
        <translation>
            <numerusform>%n wersja</numerusform>
            <numerusform>%n wersje</numerusform>
            <numerusform>%n wersji</numerusform>
        </translation>
    </message>
    <message>
        <source>Only text files under 1 MiB can be compared</source>
        <translation>Porównać można tylko pliki tekstowe poniżej 1 MiB</translation>
    </message>
    <message>
        <source>Cannot make a temporary folder: %1</source>
        <translation>Nie można utworzyć folderu tymczasowego: %1</translation>
    </message>
    <message>
        <source>Downloading %1…</source>
        <translation>Pobieranie %1…</translation>
    </message>
    <message>
        <source>Downloading %1… %2%</source>
        <translation>Pobieranie %1… %2%</translation>
    </message>
    <message>
        <source>Saved %1 as %2</source>
        <translation>Zapisano %1 jako %2</translation>
    </message>
    <message>
        <source>Fetching %1…</source>
        <translation>Pobieranie %1…</translation>
    </message>
    <message>
        <source>Cannot open: %1</source>
        <translation>Nie można otworzyć: %1</translation>
    </message>
    <message>
        <source>No application to open %1</source>
        <translation>Brak programu do otwarcia %1</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>Otwarto %1</translation>
    </message>
    <message>
        <source>Restoring %1…</source>
        <translation>Przywracanie %1…</translation>
    </message>
    <message>
        <source>Restored %1 as %2@%3</source>
        <translation>Przywrócono %1 jako %2@%3</translation>
    </message>
    <message>
        <source>Fetching %1 and %2…</source>
        <translation>Pobieranie %1 i %2…</translation>
    </message>
    <message>
        <source>%1 is not a UTF-8 text file: it cannot be compared</source>
        <translation>%1 nie jest plikiem tekstowym UTF-8: nie można go porównać</translation>
    </message>
    <message>
        <source>Comparing %1 with %2</source>
        <translation>Porównanie %1 z %2</translation>
    </message>
</context>
<context>
    <name>ft::ui::LoginDialog</name>
    <message>
        <source>Sign in — Filetracker</source>
        <translation>Logowanie — Filetracker</translation>
    </message>
    <message>
        <source>The server %1 asks who you are.</source>
        <translation>Serwer %1 pyta, kim jesteś.</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nazwa:</translation>
    </message>
    <message>
        <source>&amp;Secret:</source>
        <translation>&amp;Hasło:</translation>
    </message>
    <message>
        <source>&amp;Remember the secret in the desktop keyring</source>
        <translation>&amp;Zapamiętaj hasło w pęku kluczy pulpitu</translation>
    </message>
    <message>
        <source>Sign &amp;in</source>
        <translation>&amp;Zaloguj</translation>
    </message>
    <message>
        <source>The server refused: %1</source>
        <translation>Serwer odmówił: %1</translation>
    </message>
    <message>
        <source>The desktop keyring is unavailable (%1): the secret is kept for this session only</source>
        <translation>Pęk kluczy pulpitu jest niedostępny (%1): hasło zostanie zachowane tylko na tę sesję</translation>
    </message>
</context>
<context>
    <name>ft::ui::MainWindow</name>
    <message>
        <source>Cannot connect: %1</source>
        <translation>Nie można połączyć: %1</translation>
    </message>
    <message>
        <source>Upload files to %1</source>
        <translation>Wyślij pliki do %1</translation>
    </message>
    <message>
        <source>Upload a folder to %1</source>
        <translation>Wyślij folder do %1</translation>
    </message>
    <message>
        <source>About Filetracker</source>
        <translation>O programie Filetracker</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Filetracker %1&lt;/h3&gt;&lt;p&gt;Shared storage for files with a little metadata: a browser and administration tool for filetracker servers and the local cache.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Filetracker %1&lt;/h3&gt;&lt;p&gt;Współdzielony magazyn plików z odrobiną metadanych: przeglądarka i narzędzie administracyjne dla serwerów filetrackera i lokalnej pamięci podręcznej.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Filetracker</source>
        <translation>Filetracker</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Serwer</translation>
    </message>
    <message>
        <source>Local store</source>
        <translation>Magazyn lokalny</translation>
    </message>
    <message>
        <source>Cache</source>
        <translation>Pamięć podręczna</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Plik</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Edycja</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Widok</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Pomo&amp;c</translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation>Główny pasek narzędzi</translation>
    </message>
    <message>
        <source>&amp;Upload files…</source>
        <translation>Wyślij p&amp;liki…</translation>
    </message>
    <message>
        <source>Upload</source>
        <translation>Wyślij</translation>
    </message>
    <message>
        <source>Upload &amp;folder…</source>
        <translation>Wyślij &amp;folder…</translation>
    </message>
    <message>
        <source>Upload folder</source>
        <translation>Wyślij folder</translation>
    </message>
    <message>
        <source>Upload a folder with everything in it, keeping relative paths</source>
        <translation>Wyślij folder z całą zawartością, zachowując ścieżki względne</translation>
    </message>
    <message>
        <source>&amp;Download to…</source>
        <translation>&amp;Pobierz do…</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Pobierz</translation>
    </message>
    <message>
        <source>Download the selected files to a folder</source>
        <translation>Pobierz zaznaczone pliki do folderu</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>&amp;Otwórz</translation>
    </message>
    <message>
        <source>Fetch the selected files into the cache and open them</source>
        <translation>Pobierz zaznaczone pliki do pamięci podręcznej i otwórz je</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>&amp;Usuń…</translation>
    </message>
    <message>
        <source>Delete the selected files from the store</source>
        <translation>Usuń zaznaczone pliki z magazynu</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Odśwież</translation>
    </message>
    <message>
        <source>&amp;Copy name</source>
        <translation>&amp;Kopiuj nazwę</translation>
    </message>
    <message>
        <source>Copy &amp;versioned name</source>
        <translation>Kopiuj nazwę z w&amp;ersją</translation>
    </message>
    <message>
        <source>&amp;Properties</source>
        <translation>&amp;Właściwości</translation>
    </message>
    <message>
        <source>&amp;Settings and connections…</source>
        <translation>&amp;Ustawienia i połączenia…</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>Połączenia</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>Za&amp;kończ</translation>
    </message>
    <message>
        <source>&amp;About Filetracker</source>
        <translation>&amp;O programie Filetracker</translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>&amp;Znajdź…</translation>
    </message>
    <message>
        <source>Select &amp;all</source>
        <translation>Zaznacz &amp;wszystko</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Brak połączenia</translation>
    </message>
    <message>
        <source>Protocol v%1</source>
        <translation>Protokół v%1</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s)</source>
        <translation>
            <numerusform>%n plik</numerusform>
            <numerusform>%n pliki</numerusform>
            <numerusform>%n plików</numerusform>
        </translation>
    </message>
    <message>
        <source>Cache: %1 of %2</source>
        <translation>Pamięć podręczna: %1 z %2</translation>
    </message>
    <message>
        <source>File exists</source>
        <translation>Plik istnieje</translation>
    </message>
    <message>
        <source>&amp;Overwrite</source>
        <translation>&amp;Zastąp</translation>
    </message>
    <message>
        <source>&amp;Skip</source>
        <translation>&amp;Pomiń</translation>
    </message>
    <message numerus="yes">
        <source>Download %n file(s) to</source>
        <translation>
            <numerusform>Pobierz %n plik do</numerusform>
            <numerusform>Pobierz %n pliki do</numerusform>
            <numerusform>Pobierz %n plików do</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot open: %1</source>
        <translation>Nie można otworzyć: %1</translation>
    </message>
    <message>
        <source>Cannot drag out: %1</source>
        <translation>Nie można przeciągnąć: %1</translation>
    </message>
    <message>
        <source>No application to open %1</source>
        <translation>Brak programu do otwarcia %1</translation>
    </message>
    <message numerus="yes">
        <source>…and %n more</source>
        <translation>
            <numerusform>…i jeszcze %n</numerusform>
            <numerusform>…i jeszcze %n</numerusform>
            <numerusform>…i jeszcze %n</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete files</source>
        <translation>Usuwanie plików</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n file(s) from %1? This cannot be undone.</source>
        <translation>
            <numerusform>Usunąć %n plik z %1? Tego nie można cofnąć.</numerusform>
            <numerusform>Usunąć %n pliki z %1? Tego nie można cofnąć.</numerusform>
            <numerusform>Usunąć %n plików z %1? Tego nie można cofnąć.</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Usuń</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) could not be deleted.</source>
        <translation>
            <numerusform>Nie udało się usunąć %n pliku.</numerusform>
            <numerusform>Nie udało się usunąć %n plików.</numerusform>
            <numerusform>Nie udało się usunąć %n plików.</numerusform>
        </translation>
    </message>
    <message>
        <source>Transfers in progress</source>
        <translation>Trwają transfery</translation>
    </message>
    <message>
        <source>Fetching versions and sizes to sort: %1 of %2 (change directory to cancel)</source>
        <translation>Pobieranie wersji i rozmiarów do sortowania: %1 z %2 (zmień katalog, aby anulować)</translation>
    </message>
    <message numerus="yes">
        <source>Copying %n file(s) for opening…</source>
        <translation>
            <numerusform>Kopiowanie %n pliku do otwarcia…</numerusform>
            <numerusform>Kopiowanie %n plików do otwarcia…</numerusform>
            <numerusform>Kopiowanie %n plików do otwarcia…</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Remove from cache…</source>
        <translation>Usuń z &amp;pamięci podręcznej…</translation>
    </message>
    <message>
        <source>Remove the selected files from the local cache (the server keeps them)</source>
        <translation>Usuń zaznaczone pliki z lokalnej pamięci podręcznej (serwer je zachowuje)</translation>
    </message>
    <message numerus="yes">
        <source>Removed %n file(s) from the local cache; the server keeps them.</source>
        <translation>
            <numerusform>Usunięto %n plik z lokalnej pamięci podręcznej; serwer go zachowuje.</numerusform>
            <numerusform>Usunięto %n pliki z lokalnej pamięci podręcznej; serwer je zachowuje.</numerusform>
            <numerusform>Usunięto %n plików z lokalnej pamięci podręcznej; serwer je zachowuje.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Removed %n file(s) from the local cache; %1</source>
        <translation>
            <numerusform>Usunięto %n plik z lokalnej pamięci podręcznej; %1</numerusform>
            <numerusform>Usunięto %n pliki z lokalnej pamięci podręcznej; %1</numerusform>
            <numerusform>Usunięto %n plików z lokalnej pamięci podręcznej; %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Download %n item(s) with everything in the folders to</source>
        <translation>
            <numerusform>Pobierz %n element z całą zawartością folderów do</numerusform>
            <numerusform>Pobierz %n elementy z całą zawartością folderów do</numerusform>
            <numerusform>Pobierz %n elementów z całą zawartością folderów do</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Downloaded %n file(s)</source>
        <translation>
            <numerusform>Pobrano %n plik</numerusform>
            <numerusform>Pobrano %n pliki</numerusform>
            <numerusform>Pobrano %n plików</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>skipped %n already in the folder</source>
        <translation>
            <numerusform>pominięto %n, który już był w folderze</numerusform>
            <numerusform>pominięto %n, które już były w folderze</numerusform>
            <numerusform>pominięto %n, które już były w folderze</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Counting the files in %n folder(s)…</source>
        <translation>
            <numerusform>Liczenie plików w %n folderze…</numerusform>
            <numerusform>Liczenie plików w %n folderach…</numerusform>
            <numerusform>Liczenie plików w %n folderach…</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot delete: %1</source>
        <translation>Nie można usunąć: %1</translation>
    </message>
    <message numerus="yes">
        <source>Deleting %n file(s)…</source>
        <translation>
            <numerusform>Usuwanie %n pliku…</numerusform>
            <numerusform>Usuwanie %n plików…</numerusform>
            <numerusform>Usuwanie %n plików…</numerusform>
        </translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Zatrzymaj</translation>
    </message>
    <message>
        <source>Deleted %1 of %2 files…</source>
        <translation>Usunięto %1 z %2 plików…</translation>
    </message>
    <message numerus="yes">
        <source>Deleted %n file(s).</source>
        <translation>
            <numerusform>Usunięto %n plik.</numerusform>
            <numerusform>Usunięto %n pliki.</numerusform>
            <numerusform>Usunięto %n plików.</numerusform>
        </translation>
    </message>
    <message>
        <source>The cache holds %1, over its limit of %2: cleaning up.</source>
        <translation>Pamięć podręczna zajmuje %1, ponad limit %2: trwa czyszczenie.</translation>
    </message>
    <message>
        <source>size unknown</source>
        <translation>rozmiar nieznany</translation>
    </message>
    <message>
        <source>date unknown</source>
        <translation>data nieznana</translation>
    </message>
    <message>
        <source>%1 is already in the store. Overwrite it with a new version from your file?</source>
        <translation>%1 jest już w magazynie. Zastąpić go nową wersją z Twojego pliku?</translation>
    </message>
    <message>
        <source>%1 already exists in the folder. Overwrite it with the file from the store?</source>
        <translation>%1 już jest w folderze. Zastąpić go plikiem z magazynu?</translation>
    </message>
    <message>
        <source>Your file: %1, modified %2</source>
        <translation>Twój plik: %1, zmieniony %2</translation>
    </message>
    <message>
        <source>In the store: %1, version of %2</source>
        <translation>W magazynie: %1, wersja z %2</translation>
    </message>
    <message>
        <source>&amp;Keep both</source>
        <translation>&amp;Zachowaj oba</translation>
    </message>
    <message numerus="yes">
        <source>Do the same for the other %n conflict(s)</source>
        <translation>
            <numerusform>To samo dla pozostałego %n konfliktu</numerusform>
            <numerusform>To samo dla pozostałych %n konfliktów</numerusform>
            <numerusform>To samo dla pozostałych %n konfliktów</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n folder(s)</source>
        <translation>
            <numerusform>%n folder</numerusform>
            <numerusform>%n foldery</numerusform>
            <numerusform>%n folderów</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s), %1</source>
        <translation>
            <numerusform>%n plik, %1</numerusform>
            <numerusform>%n pliki, %1</numerusform>
            <numerusform>%n plików, %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete folder</source>
        <translation>Usuwanie folderu</translation>
    </message>
    <message>
        <source>Delete %1 with everything in it (%2) from %3? This cannot be undone.</source>
        <translation>Usunąć %1 z całą zawartością (%2) z %3? Tego nie można cofnąć.</translation>
    </message>
    <message>
        <source>&amp;Delete folder</source>
        <translation>&amp;Usuń folder</translation>
    </message>
    <message>
        <source>Cache over its limit</source>
        <translation>Pamięć podręczna ponad limitem</translation>
    </message>
    <message>
        <source>The local cache holds %1, over its limit of %2. Clean it up now?</source>
        <translation>Lokalna pamięć podręczna zajmuje %1, ponad limit %2. Wyczyścić ją teraz?</translation>
    </message>
    <message>
        <source>The oldest versions are deleted first; you see the list before anything goes. Settings can make this automatic.</source>
        <translation>Najpierw usuwane są najstarsze wersje; przed usunięciem zobaczysz ich listę. W ustawieniach można włączyć czyszczenie automatyczne.</translation>
    </message>
    <message>
        <source>&amp;Clean up…</source>
        <translation>&amp;Wyczyść…</translation>
    </message>
    <message>
        <source>&amp;Not now</source>
        <translation>&amp;Nie teraz</translation>
    </message>
    <message>
        <source>&amp;Keep running</source>
        <translation>&amp;Nie zamykaj</translation>
    </message>
    <message>
        <source>Cancel transfers and &amp;quit</source>
        <translation>Anuluj transfery i za&amp;kończ</translation>
    </message>
    <message>
        <source>Not connected — %1</source>
        <translation>Brak połączenia — %1</translation>
    </message>
    <message>
        <source>filtered: %1 of %2</source>
        <translation>filtr: %1 z %2</translation>
    </message>
    <message numerus="yes">
        <source>Protocol v%1 + %n extension(s)</source>
        <translation>
            <numerusform>Protokół v%1 + %n rozszerzenie</numerusform>
            <numerusform>Protokół v%1 + %n rozszerzenia</numerusform>
            <numerusform>Protokół v%1 + %n rozszerzeń</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot upload: %1</source>
        <translation>Nie można wysłać: %1</translation>
    </message>
    <message>
        <source>The desktop keyring is unavailable (%1): secrets are kept for this session only</source>
        <translation>Pęk kluczy pulpitu jest niedostępny (%1): hasła są zachowywane tylko na tę sesję</translation>
    </message>
    <message>
        <source>Signing in as %1…</source>
        <translation>Logowanie jako %1…</translation>
    </message>
    <message>
        <source>Not signed in: the server refuses what needs a sign-in. Refresh to sign in.</source>
        <translation>Nie zalogowano: serwer odmawia tego, co wymaga zalogowania. Odśwież, aby się zalogować.</translation>
    </message>
    <message>
        <source>Not connected: the server&apos;s certificate was not accepted</source>
        <translation>Brak połączenia: nie zaakceptowano certyfikatu serwera</translation>
    </message>
    <message>
        <source>Unpack a .zip, .tar.gz, .tar.xz, .tar.zst or .7z archive into a folder of the store</source>
        <translation>Rozpakuj archiwum .zip, .tar.gz, .tar.xz, .tar.zst lub .7z do folderu magazynu</translation>
    </message>
    <message>
        <source>Upload &amp;archive as folder…</source>
        <translation>Wyślij &amp;archiwum jako folder…</translation>
    </message>
    <message>
        <source>Download as ar&amp;chive…</source>
        <translation>Pobierz jako ar&amp;chiwum…</translation>
    </message>
    <message>
        <source>Pack the selected files and folders (or the current folder) into a .zip, .tar, .tar.gz or .tar.zst file</source>
        <translation>Spakuj zaznaczone pliki i foldery (lub bieżący folder) do pliku .zip, .tar, .tar.gz lub .tar.zst</translation>
    </message>
    <message>
        <source>Cannot unpack into %1: %2</source>
        <translation>Nie można rozpakować do %1: %2</translation>
    </message>
    <message>
        <source>Cannot unpack %1: not a file</source>
        <translation>Nie można rozpakować %1: to nie jest plik</translation>
    </message>
    <message>
        <source>Upload an archive as a folder of %1</source>
        <translation>Wyślij archiwum jako folder w %1</translation>
    </message>
    <message>
        <source>Archives (*.zip *.tar *.tar.gz *.tgz *.tar.bz2 *.tar.xz *.tar.zst *.7z);;All files (*)</source>
        <translation>Archiwa (*.zip *.tar *.tar.gz *.tgz *.tar.bz2 *.tar.xz *.tar.zst *.7z);;Wszystkie pliki (*)</translation>
    </message>
    <message>
        <source>Upload archive as folder</source>
        <translation>Wysyłanie archiwum jako folderu</translation>
    </message>
    <message>
        <source>Unpack %1 into the folder:</source>
        <translation>Rozpakuj %1 do folderu:</translation>
    </message>
    <message>
        <source>store</source>
        <comment>archive file name of the root folder</comment>
        <translation>magazyn</translation>
    </message>
    <message>
        <source>Download %1 as an archive</source>
        <translation>Pobierz %1 jako archiwum</translation>
    </message>
    <message>
        <source>Zip archive (*.zip);;Tar archive (*.tar);;Gzipped tar archive (*.tar.gz *.tgz);;Zstandard tar archive (*.tar.zst)</source>
        <translation>Archiwum zip (*.zip);;Archiwum tar (*.tar);;Archiwum tar skompresowane gzip (*.tar.gz *.tgz);;Archiwum tar skompresowane zstd (*.tar.zst)</translation>
    </message>
    <message>
        <source>Cannot write %1: name the archive .zip, .tar, .tar.gz, .tgz or .tar.zst</source>
        <translation>Nie można zapisać %1: nazwij archiwum .zip, .tar, .tar.gz, .tgz lub .tar.zst</translation>
    </message>
    <message>
        <source>Unpacked %1 into %2: %3</source>
        <translation>Rozpakowano %1 do %2: %3</translation>
    </message>
    <message>
        <source>Wrote %1: %2</source>
        <translation>Zapisano %1: %2</translation>
    </message>
    <message numerus="yes">
        <source>%n archive(s)</source>
        <translation>
            <numerusform>%n archiwum</numerusform>
            <numerusform>%n archiwa</numerusform>
            <numerusform>%n archiwów</numerusform>
        </translation>
    </message>
    <message>
        <source>Archive dropped</source>
        <translation>Upuszczono archiwum</translation>
    </message>
    <message>
        <source>Upload %1 into %2 as it is, or unpack it into a folder there?</source>
        <translation>Wysłać %1 do %2 bez zmian, czy rozpakować do folderu w tym miejscu?</translation>
    </message>
    <message>
        <source>Unpacking stores every file of the archive under %1, keeping its folders.</source>
        <translation>Rozpakowanie zapisze każdy plik archiwum w %1, z zachowaniem jego folderów.</translation>
    </message>
    <message>
        <source>&amp;Upload the archive file</source>
        <translation>&amp;Wyślij plik archiwum</translation>
    </message>
    <message>
        <source>Un&amp;pack into a folder</source>
        <translation>&amp;Rozpakuj do folderu</translation>
    </message>
    <message>
        <source>&amp;Remember until I quit</source>
        <translation>&amp;Zapamiętaj do zamknięcia programu</translation>
    </message>
    <message>
        <source>Archive refused</source>
        <translation>Odrzucono archiwum</translation>
    </message>
    <message numerus="yes">
        <source>%1 was not unpacked into %2: %n of its entries are not allowed, so nothing was stored.</source>
        <translation>
            <numerusform>Nie rozpakowano %1 do %2: %n wpis jest niedozwolony, więc nic nie zapisano.</numerusform>
            <numerusform>Nie rozpakowano %1 do %2: %n wpisy są niedozwolone, więc nic nie zapisano.</numerusform>
            <numerusform>Nie rozpakowano %1 do %2: %n wpisów jest niedozwolonych, więc nic nie zapisano.</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;History…</source>
        <translation>&amp;Historia…</translation>
    </message>
    <message>
        <source>The versions the server keeps of the selected file: download, open, restore, compare</source>
        <translation>Wersje wybranego pliku przechowywane przez serwer: pobieranie, otwieranie, przywracanie, porównywanie</translation>
    </message>
    <message>
        <source>Compare a local folder with the selected folder (or the current one) by content, then upload or download what differs</source>
        <translation>Porównaj zawartość folderu lokalnego z zaznaczonym folderem (lub bieżącym), a potem wyślij lub pobierz to, co się różni</translation>
    </message>
    <message>
        <source>Compare a local folder with %1</source>
        <translation>Porównaj folder lokalny z %1</translation>
    </message>
    <message>
        <source>Co&amp;mpare with local folder…</source>
        <translation>Po&amp;równaj z folderem lokalnym…</translation>
    </message>
    <message>
        <source>The transfer queue could not be saved or read: %1</source>
        <translation>Nie można zapisać ani odczytać kolejki transferów: %1</translation>
    </message>
    <message>
        <source>%1 (%2) — Filetracker</source>
        <comment>profile (server or folder)</comment>
        <translation>%1 (%2) — Filetracker</translation>
    </message>
    <message numerus="yes">
        <source>%n transfer(s) have not finished. They can resume the next time Filetracker starts, or be cancelled now.</source>
        <translation>
            <numerusform>%n transfer nie zakończył się. Może zostać wznowiony przy następnym uruchomieniu Filetrackera albo anulowany teraz.</numerusform>
            <numerusform>%n transfery nie zakończyły się. Mogą zostać wznowione przy następnym uruchomieniu Filetrackera albo anulowane teraz.</numerusform>
            <numerusform>%n transferów nie zakończyło się. Mogą zostać wznowione przy następnym uruchomieniu Filetrackera albo anulowane teraz.</numerusform>
        </translation>
    </message>
    <message>
        <source>Quit, &amp;resume them next time</source>
        <translation>Zakończ i w&amp;znów je następnym razem</translation>
    </message>
    <message>
        <source>%1: server %2</source>
        <comment>profile: server address</comment>
        <translation>%1: serwer %2</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>%1: local store %2</source>
        <comment>profile: folder</comment>
        <translation>%1: magazyn lokalny %2</translation>
    </message>
    <message>
        <source>Server: %1</source>
        <translation>Serwer: %1</translation>
    </message>
    <message>
        <source>Server: %1 — %2</source>
        <translation>Serwer: %1 — %2</translation>
    </message>
    <message>
        <source>Local store: %1</source>
        <translation>Magazyn lokalny: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n transfer(s) have not finished. Quitting cancels them.</source>
        <translation>
            <numerusform>%n transfer się nie zakończył. Zamknięcie programu go anuluje.</numerusform>
            <numerusform>%n transfery się nie zakończyły. Zamknięcie programu je anuluje.</numerusform>
            <numerusform>%n transferów się nie zakończyło. Zamknięcie programu je anuluje.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ft::ui::OpenCopies</name>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>Nie można odczytać %1: %2</translation>
    </message>
    <message>
        <source>Cannot create %1: %2</source>
        <translation>Nie można utworzyć %1: %2</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>anulowano</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>Nie można zapisać %1: %2</translation>
    </message>
    <message>
        <source>Cannot make %1 read-only: %2</source>
        <translation>Nie można ustawić %1 tylko do odczytu: %2</translation>
    </message>
    <message>
        <source>Cannot make %1 writable: %2</source>
        <translation>Nie można zezwolić na zapis do %1: %2</translation>
    </message>
    <message>
        <source>Cannot create a temporary folder in %1: %2</source>
        <translation>Nie można utworzyć folderu tymczasowego w %1: %2</translation>
    </message>
    <message>
        <source>Cannot create %1</source>
        <translation>Nie można utworzyć %1</translation>
    </message>
    <message>
        <source>No temporary folder for the copy to open (is TMPDIR an existing folder?)</source>
        <translation>Brak folderu tymczasowego na kopię do otwarcia (czy TMPDIR to istniejący folder?)</translation>
    </message>
</context>
<context>
    <name>ft::ui::ProfileSession</name>
    <message>
        <source>not connected to a store</source>
        <translation>brak połączenia z magazynem</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>anulowano</translation>
    </message>
</context>
<context>
    <name>ft::ui::ProfileSettings</name>
    <message>
        <source>Local store</source>
        <translation>Magazyn lokalny</translation>
    </message>
</context>
<context>
    <name>ft::ui::PropertiesDialog</name>
    <message>
        <source>Properties of %1</source>
        <translation>Właściwości: %1</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Nazwa:</translation>
    </message>
    <message>
        <source>Version:</source>
        <translation>Wersja:</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>Rozmiar:</translation>
    </message>
    <message>
        <source>SHA-256:</source>
        <translation>SHA-256:</translation>
    </message>
    <message>
        <source>In the local cache:</source>
        <translation>W lokalnej pamięci podręcznej:</translation>
    </message>
    <message>
        <source>asking the server…</source>
        <translation>pytanie serwera…</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>nieznana</translation>
    </message>
    <message>
        <source>%1 (%2 bytes)</source>
        <translation>%1 (%2 bajtów)</translation>
    </message>
    <message>
        <source>not known</source>
        <translation>nieznana</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>tak</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>not known (the server does not send it; open the file to compute it)</source>
        <translation>nieznana (serwer jej nie podaje; otwórz plik, aby ją obliczyć)</translation>
    </message>
    <message>
        <source>computing from the cached copy…</source>
        <translation>obliczanie z kopii w pamięci podręcznej…</translation>
    </message>
</context>
<context>
    <name>ft::ui::RemoteBrowser</name>
    <message>
        <source>Local store</source>
        <translation>Magazyn lokalny</translation>
    </message>
    <message>
        <source>not connected to a store</source>
        <translation>brak połączenia z magazynem</translation>
    </message>
</context>
<context>
    <name>ft::ui::RemoteView</name>
    <message>
        <source>%1@%2 is not the newest version; the store lists %1@%3</source>
        <translation>%1@%2 to nie najnowsza wersja; magazyn ma %1@%3</translation>
    </message>
    <message>
        <source>Cannot go to %1: %2</source>
        <translation>Nie można przejść do %1: %2</translation>
    </message>
    <message>
        <source>Filter by name or *.glob</source>
        <translation>Filtruj po nazwie lub wzorcu *.in</translation>
    </message>
    <message>
        <source>The current folder. Type or paste a folder or a file&apos;s name (with @version) and press Enter (Ctrl+L)</source>
        <translation>Bieżący folder. Wpisz lub wklej nazwę folderu albo pliku (z @wersją) i naciśnij Enter (Ctrl+L)</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>W górę</translation>
    </message>
    <message>
        <source>Go to the parent folder (Backspace, Alt+Up)</source>
        <translation>Przejdź do folderu nadrzędnego (Backspace, Alt+Strzałka w górę)</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Wstecz</translation>
    </message>
    <message>
        <source>Go back (Alt+Left)</source>
        <translation>Wróć (Alt+Strzałka w lewo)</translation>
    </message>
    <message>
        <source>Forward</source>
        <translation>Dalej</translation>
    </message>
    <message>
        <source>Go forward (Alt+Right)</source>
        <translation>Przejdź dalej (Alt+Strzałka w prawo)</translation>
    </message>
    <message>
        <source>Go to…</source>
        <translation>Przejdź do…</translation>
    </message>
    <message>
        <source>%1 is already bookmarked</source>
        <translation>%1 jest już w zakładkach</translation>
    </message>
    <message>
        <source>Filter by name or *.glob (Ctrl+F)</source>
        <translation>Filtruj po nazwie lub wzorcu *.in (Ctrl+F)</translation>
    </message>
</context>
<context>
    <name>ft::ui::ServerUrl</name>
    <message>
        <source>invalid server URL &quot;%1&quot;: expected http://HOST[:PORT]</source>
        <translation>nieprawidłowy adres serwera „%1”: oczekiwano http://HOST[:PORT]</translation>
    </message>
</context>
<context>
    <name>ft::ui::SettingsDialog</name>
    <message>
        <source>Settings and connections</source>
        <translation>Ustawienia i połączenia</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>&amp;Dodaj</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Usuń</translation>
    </message>
    <message>
        <source>empty: the local store, no server</source>
        <translation>puste: magazyn lokalny, bez serwera</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Przeglądaj…</translation>
    </message>
    <message>
        <source> MiB</source>
        <translation> MiB</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nazwa:</translation>
    </message>
    <message>
        <source>&amp;Server URL:</source>
        <translation>Adres &amp;serwera:</translation>
    </message>
    <message>
        <source>&amp;Cache directory:</source>
        <translation>Katalog pamięci &amp;podręcznej:</translation>
    </message>
    <message>
        <source>Cache &amp;limit:</source>
        <translation>&amp;Limit pamięci podręcznej:</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>&amp;Połącz</translation>
    </message>
    <message>
        <source>Server %1</source>
        <translation>Serwer %1</translation>
    </message>
    <message>
        <source>Cache directory</source>
        <translation>Katalog pamięci podręcznej</translation>
    </message>
    <message>
        <source>Connection &amp;profiles:</source>
        <translation>P&amp;rofile połączeń:</translation>
    </message>
    <message>
        <source>Clean up the cache &amp;automatically when a download takes it over its limit</source>
        <translation>Czyść pamięć podręczną &amp;automatycznie, gdy pobieranie przekroczy jej limit</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>empty: anonymous until the server asks</source>
        <translation>puste: anonimowo, dopóki serwer nie zapyta</translation>
    </message>
    <message>
        <source>The name to sign in with; its secret is kept in the desktop keyring, never in the settings</source>
        <translation>Nazwa do logowania; jej hasło jest przechowywane w pęku kluczy pulpitu, nigdy w ustawieniach</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>Nazwa &amp;użytkownika:</translation>
    </message>
    <message>
        <source>The local store keeps its files in this folder.</source>
        <translation>Magazyn lokalny przechowuje pliki w tym folderze.</translation>
    </message>
    <message>
        <source>Each server profile now has its own cache folder: this one moved from the shared %1 (kept by the first profile that used it) to its own; its files are fetched again when needed.</source>
        <translation>Każdy profil serwera ma teraz własny folder pamięci podręcznej: ten przeniesiono ze wspólnego %1 (zachował go pierwszy profil, który go używał) do własnego; pliki zostaną pobrane ponownie, gdy będą potrzebne.</translation>
    </message>
    <message>
        <source>This profile keeps the former shared cache %1 (it was the first to use it); other server profiles have their own folders.</source>
        <translation>Ten profil zachowuje dawną wspólną pamięć podręczną %1 (używał jej jako pierwszy); pozostałe profile serwerów mają własne foldery.</translation>
    </message>
    <message>
        <source>Each server profile has its own cache folder (empty: %1).</source>
        <translation>Każdy profil serwera ma własny folder pamięci podręcznej (puste: %1).</translation>
    </message>
</context>
<context>
    <name>ft::ui::SizeFormat</name>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message numerus="yes">
        <source>%n byte(s)</source>
        <translation>
            <numerusform>%n bajt</numerusform>
            <numerusform>%n bajty</numerusform>
            <numerusform>%n bajtów</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 s</source>
        <comment>seconds left</comment>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <comment>minutes and seconds left</comment>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <comment>hours and minutes left</comment>
        <translation>%1 h %2 min</translation>
    </message>
</context>
<context>
    <name>ft::ui::StoreAccess</name>
    <message>
        <source>Not signed in</source>
        <translation>Nie zalogowano</translation>
    </message>
    <message>
        <source>Signed in as %1</source>
        <translation>Zalogowano jako %1</translation>
    </message>
    <message>
        <source>no access</source>
        <translation>brak dostępu</translation>
    </message>
    <message>
        <source>read only</source>
        <translation>tylko odczyt</translation>
    </message>
    <message>
        <source>read and upload, no delete</source>
        <translation>odczyt i wysyłanie, bez usuwania</translation>
    </message>
    <message>
        <source>full access</source>
        <translation>pełny dostęp</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>%1 (%2, within %3)</source>
        <translation>%1 (%2, w obrębie %3)</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1: may upload only within %2</source>
        <translation>%1: może wysyłać tylko w obrębie %2</translation>
    </message>
    <message>
        <source>%1: may delete only within %2</source>
        <translation>%1: może usuwać tylko w obrębie %2</translation>
    </message>
</context>
<context>
    <name>ft::ui::StoreJob</name>
    <message>
        <source>Cancelled</source>
        <translation>Anulowano</translation>
    </message>
</context>
<context>
    <name>ft::ui::TransferJournal</name>
    <message>
        <source>%1: cannot remove it</source>
        <translation>%1: nie można go usunąć</translation>
    </message>
    <message>
        <source>%1: cannot create the folder</source>
        <translation>%1: nie można utworzyć folderu</translation>
    </message>
    <message>
        <source>%1: not a transfer queue this version can read (kept as %1.corrupt)</source>
        <translation>%1: ta wersja nie umie odczytać tej kolejki transferów (zachowano ją jako %1.corrupt)</translation>
    </message>
</context>
<context>
    <name>ft::ui::TransferModel</name>
    <message>
        <source>Queued</source>
        <translation>W kolejce</translation>
    </message>
    <message>
        <source>Compressing</source>
        <translation>Kompresowanie</translation>
    </message>
    <message>
        <source>Uploading</source>
        <translation>Trwa wysyłanie</translation>
    </message>
    <message>
        <source>Downloading</source>
        <translation>Trwa pobieranie</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Gotowe</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Błąd: %1</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Anulowano</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nazwa</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>Kierunek</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Postęp</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Rozmiar</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>Prędkość</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Stan</translation>
    </message>
    <message>
        <source>Upload</source>
        <comment>transfer direction</comment>
        <translation>Wysyłanie</translation>
    </message>
    <message>
        <source>Download</source>
        <comment>transfer direction</comment>
        <translation>Pobieranie</translation>
    </message>
    <message>
        <source>Open</source>
        <comment>transfer direction</comment>
        <translation>Otwieranie</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Serwer</translation>
    </message>
    <message>
        <source>Checking the archive</source>
        <translation>Sprawdzanie archiwum</translation>
    </message>
    <message>
        <source>Listing the files</source>
        <translation>Wyszukiwanie plików</translation>
    </message>
    <message>
        <source>Done: %1</source>
        <translation>Gotowe: %1</translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <comment>archive → folder</comment>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <comment>folder → archive</comment>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <source>Unpack</source>
        <comment>transfer direction</comment>
        <translation>Rozpakowywanie</translation>
    </message>
    <message>
        <source>Pack</source>
        <comment>transfer direction</comment>
        <translation>Pakowanie</translation>
    </message>
    <message>
        <source>Unpacking</source>
        <translation>Rozpakowywanie</translation>
    </message>
    <message>
        <source>Packing</source>
        <translation>Pakowanie</translation>
    </message>
    <message>
        <source>%1 of %2 files · %3</source>
        <translation>%1 z %2 plików · %3</translation>
    </message>
    <message>
        <source>Queued: waits for %1</source>
        <translation>W kolejce: czeka na %1</translation>
    </message>
    <message>
        <source>Paused: waits for %1</source>
        <translation>Wstrzymano: czeka na %1</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Wstrzymano</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>Pozostało</translation>
    </message>
</context>
<context>
    <name>ft::ui::TransferQueue</name>
    <message>
        <source>not connected to a store</source>
        <translation>brak połączenia z magazynem</translation>
    </message>
    <message>
        <source>not started: queued for %1, now connected to %2</source>
        <translation>nie uruchomiono: dodano do kolejki dla %1, a teraz połączono z %2</translation>
    </message>
    <message>
        <source>no such transfer</source>
        <translation>nie ma takiego transferu</translation>
    </message>
    <message>
        <source>it has not failed</source>
        <translation>transfer się powiódł lub trwa</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>niczym</translation>
    </message>
    <message>
        <source>not retried: started on %1, now connected to %2 (connect to %1 again to retry)</source>
        <translation>nie ponowiono: rozpoczęto na %1, a teraz połączono z %2 (połącz się znów z %1, aby ponowić)</translation>
    </message>
    <message>
        <source>archives cannot be transferred here</source>
        <translation>tutaj nie można przesyłać archiwów</translation>
    </message>
    <message>
        <source>%1: the local file is gone (it was queued before the restart)</source>
        <translation>%1: plik lokalny zniknął (był w kolejce przed ponownym uruchomieniem)</translation>
    </message>
    <message>
        <source>%1: the local file changed since it was queued (Retry sends it as it is now)</source>
        <translation>%1: plik lokalny zmienił się od dodania do kolejki (Ponów wyśle go w obecnej postaci)</translation>
    </message>
</context>
<context>
    <name>ft::ui::TransfersDock</name>
    <message>
        <source>Transfers</source>
        <translation>Transfery</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Anuluj</translation>
    </message>
    <message>
        <source>Cancel the selected transfers</source>
        <translation>Anuluj zaznaczone transfery</translation>
    </message>
    <message>
        <source>&amp;Retry</source>
        <translation>Ponó&amp;w</translation>
    </message>
    <message>
        <source>Start the selected failed or cancelled transfers again</source>
        <translation>Uruchom ponownie zaznaczone nieudane lub anulowane transfery</translation>
    </message>
    <message>
        <source>C&amp;lear finished</source>
        <translation>&amp;Wyczyść zakończone</translation>
    </message>
    <message>
        <source>Remove finished, failed and cancelled transfers from the list</source>
        <translation>Usuń z listy zakończone, nieudane i anulowane transfery</translation>
    </message>
    <message>
        <source>At once:</source>
        <translation>Naraz:</translation>
    </message>
    <message>
        <source>How many transfers run at the same time</source>
        <translation>Ile transferów działa jednocześnie</translation>
    </message>
    <message>
        <source>Queue paused</source>
        <translation>Kolejka wstrzymana</translation>
    </message>
    <message numerus="yes">
        <source>%n running</source>
        <translation>
            <numerusform>%n w toku</numerusform>
            <numerusform>%n w toku</numerusform>
            <numerusform>%n w toku</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n queued</source>
        <translation>
            <numerusform>%n w kolejce</numerusform>
            <numerusform>%n w kolejce</numerusform>
            <numerusform>%n w kolejce</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n paused</source>
        <translation>
            <numerusform>%n wstrzymany</numerusform>
            <numerusform>%n wstrzymane</numerusform>
            <numerusform>%n wstrzymanych</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>zostało %1</translation>
    </message>
    <message>
        <source>limit %1</source>
        <translation>limit %1</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>Ws&amp;trzymaj</translation>
    </message>
    <message>
        <source>Pause the selected transfers (%1); a running one stops and starts again on Resume</source>
        <translation>Wstrzymaj zaznaczone transfery (%1); trwający zatrzymuje się i po wznowieniu zaczyna od początku</translation>
    </message>
    <message>
        <source>Res&amp;ume</source>
        <translation>W&amp;znów</translation>
    </message>
    <message>
        <source>Resume the selected paused transfers (%1)</source>
        <translation>Wznów zaznaczone wstrzymane transfery (%1)</translation>
    </message>
    <message>
        <source>Pause &amp;queue</source>
        <translation>Wstrzymaj &amp;kolejkę</translation>
    </message>
    <message>
        <source>Pause or resume the whole queue (%1): nothing starts while it is paused</source>
        <translation>Wstrzymaj lub wznów całą kolejkę (%1): gdy jest wstrzymana, nic się nie zaczyna</translation>
    </message>
    <message>
        <source>Limit:</source>
        <translation>Limit:</translation>
    </message>
    <message>
        <source> KiB/s</source>
        <translation> KiB/s</translation>
    </message>
    <message>
        <source>unlimited</source>
        <translation>bez limitu</translation>
    </message>
    <message>
        <source>The queue&apos;s uploads and downloads together use at most this much bandwidth (0: unlimited)</source>
        <translation>Wysyłanie i pobieranie z kolejki razem zajmują najwyżej tyle przepustowości (0: bez limitu)</translation>
    </message>
</context>
<context>
    <name>ft::ui::UploadPlanner</name>
    <message>
        <source>%1: no such file</source>
        <translation>%1: nie ma takiego pliku</translation>
    </message>
    <message>
        <source>%1: the file name is not valid UTF-8, which filetracker names must be</source>
        <translation>%1: nazwa pliku nie jest poprawnym UTF-8, a nazwy w filetrackerze muszą nim być</translation>
    </message>
</context>
<context>
    <name>ft::ui::VersionCompareDialog</name>
    <message>
        <source>Compare %1 with %2</source>
        <translation>Porównanie %1 z %2</translation>
    </message>
    <message>
        <source>The texts are the same.</source>
        <translation>Teksty są takie same.</translation>
    </message>
    <message numerus="yes">
        <source>%n line(s) differ (highlighted).</source>
        <translation>
            <numerusform>%n wiersz się różni (wyróżniony).</numerusform>
            <numerusform>%n wiersze się różnią (wyróżnione).</numerusform>
            <numerusform>%n wierszy się różni (wyróżnione).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Browse and manage a filetracker store.</source>
        <translation>Przeglądanie magazynu filetrackera i zarządzanie nim.</translation>
    </message>
    <message>
        <source>Connect to the server at URL (not saved).</source>
        <translation>Połącz z serwerem pod adresem URL (bez zapisywania).</translation>
    </message>
    <message>
        <source>Use DIR as the cache (or local store) directory.</source>
        <translation>Użyj DIR jako katalogu pamięci podręcznej (lub magazynu lokalnego).</translation>
    </message>
    <message>
        <source>Do not show the first-run dialog.</source>
        <translation>Nie pokazuj okna pierwszego uruchomienia.</translation>
    </message>
</context>
<context>
    <name>ft::ui::SearchView</name>
    <message>
        <source>Name pattern, e.g. *.out or /problems/*/tests/1*.in</source>
        <translation>Wzorzec nazwy, np. *.out albo /problems/*/tests/1*.in</translation>
    </message>
    <message>
        <source>* matches within a name part, ** across folders, ? one character, [a-z] a set.
Without a slash the pattern matches file names at any depth.</source>
        <translation>* pasuje w obrębie części nazwy, ** także przez foldery, ? to jeden znak, [a-z] zbiór znaków.
Wzorzec bez ukośnika pasuje do nazw plików na dowolnej głębokości.</translation>
    </message>
    <message>
        <source>In the current folder</source>
        <translation>W bieżącym folderze</translation>
    </message>
    <message>
        <source>In the whole store</source>
        <translation>W całym magazynie</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>&amp;Szukaj</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Anuluj</translation>
    </message>
    <message>
        <source>Close the search (Esc)</source>
        <translation>Zamknij wyszukiwanie (Esc)</translation>
    </message>
    <message>
        <source>Size from</source>
        <translation>Rozmiar od</translation>
    </message>
    <message>
        <source>to</source>
        <translation>do</translation>
    </message>
    <message>
        <source>e.g. 10K</source>
        <translation>np. 10K</translation>
    </message>
    <message>
        <source>e.g. 1M</source>
        <translation>np. 1M</translation>
    </message>
    <message>
        <source>Changed after</source>
        <translation>Zmienione po</translation>
    </message>
    <message>
        <source>before</source>
        <translation>przed</translation>
    </message>
    <message>
        <source>Open Containing &amp;Folder</source>
        <translation>Otwórz &amp;folder z plikiem</translation>
    </message>
    <message>
        <source>the smallest size is above the largest</source>
        <translation>najmniejszy rozmiar jest większy od największego</translation>
    </message>
    <message>
        <source>the date range is empty: &quot;after&quot; is not before &quot;before&quot;</source>
        <translation>zakres dat jest pusty: „po” nie jest wcześniej niż „przed”</translation>
    </message>
    <message>
        <source>Not connected to a store.</source>
        <translation>Brak połączenia z magazynem.</translation>
    </message>
    <message>
        <source>Cannot search: %1</source>
        <translation>Nie można szukać: %1</translation>
    </message>
    <message>
        <source>stopped at %L1 matches: narrow the pattern to see the rest</source>
        <translation>zatrzymano po %L1 wynikach: zawęź wzorzec, aby zobaczyć resztę</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>anulowano</translation>
    </message>
    <message>
        <source>done</source>
        <translation>gotowe</translation>
    </message>
    <message>
        <source>Type a pattern and press Enter.</source>
        <translation>Wpisz wzorzec i naciśnij Enter.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln match(es) in %1</source>
        <translation>
            <numerusform>%Ln wynik w %1</numerusform>
            <numerusform>%Ln wyniki w %1</numerusform>
            <numerusform>%Ln wyników w %1</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 — searching…</source>
        <translation>%1 — szukam…</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
</context>
<context>
    <name>ft::ui::SearchResultsModel</name>
    <message>
        <source>Name</source>
        <translation>Nazwa</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Wersja</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Rozmiar</translation>
    </message>
</context>
<context>
    <name>ft::ui::DirectoryTreeModel</name>
    <message numerus="yes">
        <source>%n file(s)</source>
        <translation>
            <numerusform>%n plik</numerusform>
            <numerusform>%n pliki</numerusform>
            <numerusform>%n plików</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1: %2, %3</source>
        <translation>%1: %2, %3</translation>
    </message>
</context>
<context>
    <name>ft::ui::BookmarksView</name>
    <message>
        <source>&amp;Bookmark Current Folder</source>
        <translation>Dodaj bieżący folder do &amp;zakładek</translation>
    </message>
    <message>
        <source>Re&amp;name Bookmark</source>
        <translation>Zmień &amp;nazwę zakładki</translation>
    </message>
    <message>
        <source>&amp;Remove Bookmark</source>
        <translation>&amp;Usuń zakładkę</translation>
    </message>
    <message>
        <source>Bookmarked folders of this connection: click to go there, drag to reorder, F2 to rename</source>
        <translation>Foldery w zakładkach tego połączenia: kliknij, aby przejść, przeciągnij, aby zmienić kolejność, F2, aby zmienić nazwę</translation>
    </message>
    <message>
        <source>Move &amp;Up</source>
        <translation>Przesuń w &amp;górę</translation>
    </message>
    <message>
        <source>Move &amp;Down</source>
        <translation>Przesuń w &amp;dół</translation>
    </message>
    <message>
        <source>No bookmarks yet: Ctrl+D bookmarks the current folder.</source>
        <translation>Brak zakładek: Ctrl+D dodaje bieżący folder.</translation>
    </message>
</context>
<context>
    <name>ft::ui::AdminTabs</name>
    <message>
        <source>Open a cache report</source>
        <translation>Otwórz raport pamięci podręcznej</translation>
    </message>
    <message>
        <source>Cache reports (*.json);;All files (*)</source>
        <translation>Raporty pamięci podręcznej (*.json);;Wszystkie pliki (*)</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Pulpit</translation>
    </message>
    <message>
        <source>Users and access</source>
        <translation>Użytkownicy i dostęp</translation>
    </message>
    <message>
        <source>Checks</source>
        <translation>Kontrole</translation>
    </message>
    <message>
        <source>Server &amp;dashboard</source>
        <translation>&amp;Pulpit serwera</translation>
    </message>
    <message>
        <source>Health, traffic and storage of the server, sampled once a second while shown</source>
        <translation>Stan, ruch i zajętość serwera, odczytywane co sekundę, gdy pulpit jest widoczny</translation>
    </message>
    <message>
        <source>Open cache &amp;report…</source>
        <translation>Otwórz raport pa&amp;mięci podręcznej…</translation>
    </message>
    <message>
        <source>Inspect a judge machine&apos;s cache from the file `filetracker cache ls --json` wrote</source>
        <translation>Obejrzyj pamięć podręczną maszyny sprawdzającej z pliku zapisanego przez `filetracker cache ls --json`</translation>
    </message>
    <message>
        <source>Open cache report</source>
        <translation>Otwórz raport pamięci podręcznej</translation>
    </message>
</context>
<context>
    <name>ft::ui::CacheReport</name>
    <message>
        <source>%1: too large for a cache report</source>
        <translation>%1: za duży jak na raport pamięci podręcznej</translation>
    </message>
    <message>
        <source>%1: not JSON (%2 at byte %3)</source>
        <translation>%1: to nie JSON (%2 w bajcie %3)</translation>
    </message>
    <message>
        <source>%1: not a cache report (no &quot;files&quot; list; write one with filetracker cache ls --json)</source>
        <translation>%1: to nie raport pamięci podręcznej (brak listy &quot;files&quot;; zapisz go poleceniem filetracker cache ls --json)</translation>
    </message>
    <message>
        <source>%1: entry %2 is not a file (it needs &quot;name&quot;, &quot;version&quot; and &quot;size&quot;)</source>
        <translation>%1: pozycja %2 nie jest plikiem (potrzebne są &quot;name&quot;, &quot;version&quot; i &quot;size&quot;)</translation>
    </message>
    <message>
        <source>%1: not a cache report (format &quot;%2&quot;)</source>
        <translation>%1: to nie raport pamięci podręcznej (format &quot;%2&quot;)</translation>
    </message>
    <message>
        <source>%1: written by a newer filetracker (cache report format %2)</source>
        <translation>%1: zapisany przez nowszy filetracker (format raportu %2)</translation>
    </message>
</context>
<context>
    <name>ft::ui::CacheReportView</name>
    <message>
        <source>Cache report %1</source>
        <translation>Raport pamięci podręcznej %1</translation>
    </message>
    <message>
        <source>%1 on %2</source>
        <translation>%1 na %2</translation>
    </message>
    <message>
        <source>an unknown time</source>
        <translation>nieznanym czasie</translation>
    </message>
    <message numerus="yes">
        <source>%1, reported at %2: %n file(s), %3 (read-only)</source>
        <translation>
            <numerusform>%1, stan z %2: %n plik, %3 (tylko do odczytu)</numerusform>
            <numerusform>%1, stan z %2: %n pliki, %3 (tylko do odczytu)</numerusform>
            <numerusform>%1, stan z %2: %n plików, %3 (tylko do odczytu)</numerusform>
        </translation>
    </message>
    <message>
        <source>A cache</source>
        <translation>Pamięć podręczna</translation>
    </message>
    <message>
        <source>Filter by name</source>
        <translation>Filtruj po nazwie</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) were in use.</source>
        <translation>
            <numerusform>%n plik był w użyciu.</numerusform>
            <numerusform>%n pliki były w użyciu.</numerusform>
            <numerusform>%n plików było w użyciu.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ft::ui::ChecksView</name>
    <message>
        <source>Start check</source>
        <translation>Rozpocznij kontrolę</translation>
    </message>
    <message>
        <source>Verify the index against the blobs on the server, as filetracker-server --check does; the server keeps serving meanwhile</source>
        <translation>Sprawdź indeks względem blobów na serwerze, tak jak filetracker-server --check; serwer w tym czasie nadal obsługuje żądania</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Anuluj</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Rodzaj</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nazwa</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Szczegóły</translation>
    </message>
    <message>
        <source>No check has run since the server started.</source>
        <translation>Od uruchomienia serwera nie przeprowadzono kontroli.</translation>
    </message>
    <message>
        <source>Running since %1: %2 of %3 checked</source>
        <translation>Trwa od %1: sprawdzono %2 z %3</translation>
    </message>
    <message>
        <source>Done at %1: %2 checked</source>
        <translation>Zakończona o %1: sprawdzono %2</translation>
    </message>
    <message>
        <source>Cancelled at %1 after %2 of %3</source>
        <translation>Anulowana o %1 po %2 z %3</translation>
    </message>
    <message>
        <source>Failed at %1</source>
        <translation>Nieudana o %1</translation>
    </message>
    <message numerus="yes">
        <source>(only the first %n problem(s) are listed)</source>
        <translation>
            <numerusform>(pokazano tylko pierwszy %n problem)</numerusform>
            <numerusform>(pokazano tylko pierwsze %n problemy)</numerusform>
            <numerusform>(pokazano tylko pierwszych %n problemów)</numerusform>
        </translation>
    </message>
    <message>
        <source>Verify content (decode every blob)</source>
        <translation>Sprawdź zawartość (rozpakuj każdy blob)</translation>
    </message>
    <message>
        <source>Finds corrupted blobs too, but reads every blob; off: only checks that the blobs exist. Repairs run offline: stop the server and run filetracker-server --check --repair</source>
        <translation>Znajduje też uszkodzone bloby, ale czyta każdy blob; wyłączone: sprawdza tylko, czy bloby istnieją. Naprawy wykonuje się offline: zatrzymaj serwer i uruchom filetracker-server --check --repair</translation>
    </message>
    <message>
        <source>content verified</source>
        <translation>zawartość sprawdzona</translation>
    </message>
    <message>
        <source>existence only</source>
        <translation>tylko obecność</translation>
    </message>
</context>
<context>
    <name>ft::ui::PrincipalDialog</name>
    <message>
        <source>Add a principal</source>
        <translation>Dodaj użytkownika</translation>
    </message>
    <message>
        <source>Edit %1</source>
        <translation>Edytuj %1</translation>
    </message>
    <message>
        <source>read — GET and listings</source>
        <translation>read — GET i listowanie</translation>
    </message>
    <message>
        <source>write — also uploads</source>
        <translation>write — także wysyłanie plików</translation>
    </message>
    <message>
        <source>admin — also deletes (and, without prefixes, administration)</source>
        <translation>admin — także usuwanie (a bez prefiksów: administracja)</translation>
    </message>
    <message>
        <source>/tests/, /problems/ (empty: every name)</source>
        <translation>/tests/, /problems/ (puste: każda nazwa)</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Nazwa:</translation>
    </message>
    <message>
        <source>Access:</source>
        <translation>Dostęp:</translation>
    </message>
    <message>
        <source>Prefixes:</source>
        <translation>Prefiksy:</translation>
    </message>
    <message>
        <source>The server generates the secret and shows it once.</source>
        <translation>Serwer wygeneruje sekret i pokaże go jeden raz.</translation>
    </message>
</context>
<context>
    <name>ft::ui::SecretDialog</name>
    <message>
        <source>New secret of %1</source>
        <translation>Nowy sekret użytkownika %1</translation>
    </message>
    <message>
        <source>Give %1 this token (FILETRACKER_TOKEN, or user %1 with the part after the dot as the password):</source>
        <translation>Przekaż użytkownikowi %1 ten token (FILETRACKER_TOKEN albo użytkownik %1 z częścią po kropce jako hasłem):</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopiuj</translation>
    </message>
    <message>
        <source>&lt;b&gt;This is the only time the secret is shown.&lt;/b&gt; The server keeps only its hash: if it is lost, reset it.</source>
        <translation>&lt;b&gt;Sekret jest pokazywany tylko ten jeden raz.&lt;/b&gt; Serwer przechowuje jedynie jego skrót: jeśli zaginie, ustaw nowy.</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Skopiowano</translation>
    </message>
</context>
<context>
    <name>ft::ui::ServerDashboard</name>
    <message>
        <source>Server:</source>
        <translation>Serwer:</translation>
    </message>
    <message>
        <source>Health:</source>
        <translation>Stan:</translation>
    </message>
    <message>
        <source>Signed in:</source>
        <translation>Zalogowano:</translation>
    </message>
    <message>
        <source>Extensions:</source>
        <translation>Rozszerzenia:</translation>
    </message>
    <message>
        <source>Files stored:</source>
        <translation>Zapisane pliki:</translation>
    </message>
    <message>
        <source>Bytes stored:</source>
        <translation>Zapisane bajty:</translation>
    </message>
    <message>
        <source>Uploads in flight:</source>
        <translation>Trwające wysyłania:</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Wznów</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Wstrzymaj</translation>
    </message>
    <message>
        <source>Stop sampling /metrics; the charts keep what they show</source>
        <translation>Przestań odczytywać /metrics; wykresy zachowają to, co pokazują</translation>
    </message>
    <message>
        <source>Last minute</source>
        <translation>Ostatnia minuta</translation>
    </message>
    <message>
        <source>Last 5 minutes</source>
        <translation>Ostatnie 5 minut</translation>
    </message>
    <message>
        <source>Last 15 minutes</source>
        <translation>Ostatnie 15 minut</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>Ostatnia godzina</translation>
    </message>
    <message>
        <source>Last 6 hours</source>
        <translation>Ostatnie 6 godzin</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Eksportuj CSV…</translation>
    </message>
    <message>
        <source>Export PNG…</source>
        <translation>Eksportuj PNG…</translation>
    </message>
    <message>
        <source>Requests/s by method</source>
        <translation>Żądania/s według metody</translation>
    </message>
    <message>
        <source>Bytes/s</source>
        <translation>Bajty/s</translation>
    </message>
    <message>
        <source>Errors/s</source>
        <translation>Błędy/s</translation>
    </message>
    <message>
        <source>Latency (ms)</source>
        <translation>Opóźnienie (ms)</translation>
    </message>
    <message>
        <source>other</source>
        <translation>inne</translation>
    </message>
    <message>
        <source>in</source>
        <translation>przychodzące</translation>
    </message>
    <message>
        <source>out</source>
        <translation>wychodzące</translation>
    </message>
    <message>
        <source>4xx (refused)</source>
        <translation>4xx (odmowy)</translation>
    </message>
    <message>
        <source>5xx (failed)</source>
        <translation>5xx (awarie)</translation>
    </message>
    <message>
        <source>p50</source>
        <translation>p50</translation>
    </message>
    <message>
        <source>p99</source>
        <translation>p99</translation>
    </message>
    <message>
        <source>Largest folders</source>
        <translation>Największe foldery</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Folder</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Pliki</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Rozmiar</translation>
    </message>
    <message>
        <source>/metrics: %1</source>
        <translation>/metrics: %1</translation>
    </message>
    <message>
        <source>healthy (%1)</source>
        <translation>sprawny (%1)</translation>
    </message>
    <message>
        <source>unhealthy: %1</source>
        <translation>niesprawny: %1</translation>
    </message>
    <message>
        <source>Largest folders: not offered by this server (extension &quot;du&quot;)</source>
        <translation>Największe foldery: ten serwer ich nie udostępnia (rozszerzenie &quot;du&quot;)</translation>
    </message>
    <message>
        <source>Largest folders: %1</source>
        <translation>Największe foldery: %1</translation>
    </message>
    <message>
        <source>Largest folders: the server stores no files</source>
        <translation>Największe foldery: serwer nie przechowuje plików</translation>
    </message>
    <message>
        <source>the local store (no server)</source>
        <translation>magazyn lokalny (bez serwera)</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <extracomment>%1 the server&apos;s URL, %2 the program and version it names</extracomment>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>the server does not say</source>
        <translation>serwer tego nie podaje</translation>
    </message>
    <message>
        <source>protocol %1; %2</source>
        <translation>protokół %1; %2</translation>
    </message>
    <message>
        <source>none (a plain server)</source>
        <translation>brak (zwykły serwer)</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>The local store has no server to watch: open a server profile.</source>
        <translation>Magazyn lokalny nie ma serwera do obserwowania: otwórz profil serwera.</translation>
    </message>
    <message>
        <source>Traffic, storage figures and charts need an unrestricted admin: /metrics is refused to %1.</source>
        <translation>Ruch, dane o zajętości i wykresy wymagają administratora bez ograniczeń: /metrics jest niedostępne dla: %1.</translation>
    </message>
    <message>
        <source>Cannot read the metrics: %1</source>
        <translation>Nie można odczytać metryk: %1</translation>
    </message>
    <message>
        <source>Paused: the charts keep what they show.</source>
        <translation>Wstrzymano: wykresy zachowują to, co pokazują.</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Eksport</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>Nie można zapisać %1: %2</translation>
    </message>
    <message>
        <source>Wrote %1</source>
        <translation>Zapisano %1</translation>
    </message>
</context>
<context>
    <name>ft::ui::UsersView</name>
    <message>
        <source>Name</source>
        <translation>Nazwa</translation>
    </message>
    <message>
        <source>Access</source>
        <translation>Dostęp</translation>
    </message>
    <message>
        <source>Prefixes</source>
        <translation>Prefiksy</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>Dodaj…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Edytuj…</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>Usuń…</translation>
    </message>
    <message>
        <source>Reset secret…</source>
        <translation>Nowy sekret…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Odśwież</translation>
    </message>
    <message>
        <source>%1 (you)</source>
        <translation>%1 (ty)</translation>
    </message>
    <message>
        <source>every name</source>
        <translation>każda nazwa</translation>
    </message>
    <message>
        <source>You cannot remove yourself</source>
        <translation>Nie możesz usunąć samego siebie</translation>
    </message>
    <message>
        <source>Users and access</source>
        <translation>Użytkownicy i dostęp</translation>
    </message>
    <message>
        <source>%1 exists already: edit it instead</source>
        <translation>%1 już istnieje: zamiast tego go edytuj</translation>
    </message>
    <message>
        <source>Reset the secret of %1? The old one stops working at once.</source>
        <translation>Ustawić nowy sekret użytkownika %1? Stary od razu przestanie działać.</translation>
    </message>
    <message>
        <source>Added %1 (%2)</source>
        <translation>Dodano %1 (%2)</translation>
    </message>
    <message>
        <source>Reset the secret of %1</source>
        <translation>Ustawiono nowy sekret użytkownika %1</translation>
    </message>
    <message>
        <source>Changed %1 (%2)</source>
        <translation>Zmieniono %1 (%2)</translation>
    </message>
    <message>
        <source>Remove %1? Their requests are refused at once.</source>
        <translation>Usunąć %1? Jego żądania będą od razu odrzucane.</translation>
    </message>
    <message>
        <source>Removed %1</source>
        <translation>Usunięto %1</translation>
    </message>
</context>
</TS>
