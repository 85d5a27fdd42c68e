//! The widget's own words in the eleven languages of the demo help center,
//! overridable per key by the host page (`strings` option). A language
//! without a table falls back to English key by key.

use std::collections::HashMap;

/// Declares [`Text`] (one variant per user-visible string, so a misspelt
/// key does not compile) and [`KEYS`] (their names, in table order: the
/// `strings` attribute and `HcStringKey` use these) from one list.
macro_rules! texts {
    ($($variant:ident = $key:literal,)*) => {
        /// A user-visible string.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Text { $($variant,)* }

        /// Every user-visible string, by key, in the order of the tables.
        pub const KEYS: &[&str] = &[$($key,)*];
    };
}

texts! {
    Launcher = "launcher",
    Placeholder = "placeholder",
    Label = "label",
    DialogLabel = "dialog_label",
    ResultsLabel = "results_label",
    Close = "close",
    ResultsOne = "results_one",
    ResultsMany = "results_many",
    NoResults = "no_results",
    NoResultsHint = "no_results_hint",
    Popular = "popular",
    Loading = "loading",
    Indexing = "indexing",
    Offline = "offline",
    RateLimited = "rate_limited",
    Unavailable = "unavailable",
    BadContent = "bad_content",
    Retry = "retry",
    Back = "back",
    OpenFull = "open_full",
    Language = "language",
    ContactSupport = "contact_support",
    ShowMore = "show_more",
    Suggested = "suggested",
    RecentSearches = "recent_searches",
    RecentlyViewed = "recently_viewed",
    ClearHistory = "clear_history",
    Remove = "remove",
    RemoveHint = "remove_hint",
    Removed = "removed",
    HistoryCleared = "history_cleared",
    FilterLabel = "filter_label",
    AllCategories = "all_categories",
}

impl Text {
    /// Its name in [`KEYS`] and in the `strings` attribute.
    pub fn key(self) -> &'static str {
        KEYS[self as usize]
    }
}

const EN: &[&str] = &[
    "Search help",
    "Search help articles…",
    "Search the help center",
    "Help search",
    "Search results",
    "Close",
    "1 result",
    "{n} results",
    "No results for “{q}”",
    "Try other words, or open one of the popular articles.",
    "Popular articles",
    "Loading the help center…",
    "Preparing search…",
    "You seem to be offline.",
    "The help center is busy. Try again in a minute.",
    "The help center is not available right now.",
    "The help center's content could not be read.",
    "Try again",
    "Back to results",
    "Open the full article",
    "Language",
    "Contact support",
    "Show more results",
    "Suggested articles",
    "Recent searches",
    "Recently viewed",
    "Clear history",
    "Remove",
    "Press Delete to remove it from your history",
    "Removed from your history",
    "History cleared",
    "Filter by category",
    "All",
];

const DE: &[&str] = &[
    "Hilfe durchsuchen",
    "Hilfeartikel durchsuchen…",
    "Das Hilfe-Center durchsuchen",
    "Hilfesuche",
    "Suchergebnisse",
    "Schließen",
    "1 Ergebnis",
    "{n} Ergebnisse",
    "Keine Ergebnisse für „{q}“",
    "Versuchen Sie andere Wörter oder öffnen Sie einen der beliebten Artikel.",
    "Beliebte Artikel",
    "Hilfe-Center wird geladen…",
    "Suche wird vorbereitet…",
    "Sie scheinen offline zu sein.",
    "Das Hilfe-Center ist ausgelastet. Versuchen Sie es in einer Minute erneut.",
    "Das Hilfe-Center ist gerade nicht erreichbar.",
    "Der Inhalt des Hilfe-Centers konnte nicht gelesen werden.",
    "Erneut versuchen",
    "Zurück zu den Ergebnissen",
    "Ganzen Artikel öffnen",
    "Sprache",
    "Support kontaktieren",
    "Weitere Ergebnisse anzeigen",
    "Empfohlene Artikel",
    "Letzte Suchen",
    "Zuletzt angesehen",
    "Verlauf löschen",
    "Entfernen",
    "Mit Entf aus dem Verlauf entfernen",
    "Aus dem Verlauf entfernt",
    "Verlauf gelöscht",
    "Nach Kategorie filtern",
    "Alle",
];

const ES: &[&str] = &[
    "Buscar ayuda",
    "Buscar artículos de ayuda…",
    "Buscar en el centro de ayuda",
    "Búsqueda de ayuda",
    "Resultados de búsqueda",
    "Cerrar",
    "1 resultado",
    "{n} resultados",
    "No hay resultados para «{q}»",
    "Pruebe con otras palabras o abra uno de los artículos populares.",
    "Artículos populares",
    "Cargando el centro de ayuda…",
    "Preparando la búsqueda…",
    "Parece que no tiene conexión.",
    "El centro de ayuda está ocupado. Inténtelo de nuevo en un minuto.",
    "El centro de ayuda no está disponible en este momento.",
    "No se pudo leer el contenido del centro de ayuda.",
    "Reintentar",
    "Volver a los resultados",
    "Abrir el artículo completo",
    "Idioma",
    "Contactar con soporte",
    "Mostrar más resultados",
    "Artículos sugeridos",
    "Búsquedas recientes",
    "Vistos recientemente",
    "Borrar historial",
    "Quitar",
    "Pulse Supr para quitarlo del historial",
    "Quitado del historial",
    "Historial borrado",
    "Filtrar por categoría",
    "Todas",
];

const FR: &[&str] = &[
    "Rechercher de l'aide",
    "Rechercher dans les articles d'aide…",
    "Rechercher dans le centre d'aide",
    "Recherche d'aide",
    "Résultats de recherche",
    "Fermer",
    "1 résultat",
    "{n} résultats",
    "Aucun résultat pour « {q} »",
    "Essayez d'autres mots ou ouvrez l'un des articles populaires.",
    "Articles populaires",
    "Chargement du centre d'aide…",
    "Préparation de la recherche…",
    "Vous semblez être hors ligne.",
    "Le centre d'aide est occupé. Réessayez dans une minute.",
    "Le centre d'aide n'est pas disponible pour le moment.",
    "Le contenu du centre d'aide n'a pas pu être lu.",
    "Réessayer",
    "Retour aux résultats",
    "Ouvrir l'article complet",
    "Langue",
    "Contacter le support",
    "Afficher plus de résultats",
    "Articles suggérés",
    "Recherches récentes",
    "Consultés récemment",
    "Effacer l'historique",
    "Retirer",
    "Appuyez sur Suppr pour le retirer de l'historique",
    "Retiré de l'historique",
    "Historique effacé",
    "Filtrer par catégorie",
    "Toutes",
];

const IT: &[&str] = &[
    "Cerca nella guida",
    "Cerca negli articoli della guida…",
    "Cerca nel centro assistenza",
    "Ricerca nella guida",
    "Risultati della ricerca",
    "Chiudi",
    "1 risultato",
    "{n} risultati",
    "Nessun risultato per «{q}»",
    "Prova con altre parole o apri uno degli articoli più letti.",
    "Articoli più letti",
    "Caricamento del centro assistenza…",
    "Preparazione della ricerca…",
    "Sembra che tu sia offline.",
    "Il centro assistenza è occupato. Riprova tra un minuto.",
    "Il centro assistenza non è disponibile al momento.",
    "Non è stato possibile leggere il contenuto del centro assistenza.",
    "Riprova",
    "Torna ai risultati",
    "Apri l'articolo completo",
    "Lingua",
    "Contatta l’assistenza",
    "Mostra altri risultati",
    "Articoli suggeriti",
    "Ricerche recenti",
    "Visti di recente",
    "Cancella cronologia",
    "Rimuovi",
    "Premi Canc per rimuoverlo dalla cronologia",
    "Rimosso dalla cronologia",
    "Cronologia cancellata",
    "Filtra per categoria",
    "Tutte",
];

const JA: &[&str] = &[
    "ヘルプを検索",
    "ヘルプ記事を検索…",
    "ヘルプセンターを検索",
    "ヘルプ検索",
    "検索結果",
    "閉じる",
    "1 件の結果",
    "{n} 件の結果",
    "「{q}」に一致する結果はありません",
    "別の言葉で検索するか、よく読まれている記事をご覧ください。",
    "よく読まれている記事",
    "ヘルプセンターを読み込んでいます…",
    "検索を準備しています…",
    "オフラインのようです。",
    "ヘルプセンターが混み合っています。1 分後にもう一度お試しください。",
    "ヘルプセンターは現在ご利用いただけません。",
    "ヘルプセンターの内容を読み込めませんでした。",
    "再試行",
    "検索結果に戻る",
    "記事全体を開く",
    "言語",
    "サポートに問い合わせる",
    "さらに結果を表示",
    "おすすめの記事",
    "最近の検索",
    "最近表示した記事",
    "履歴を消去",
    "削除",
    "Delete キーで履歴から削除します",
    "履歴から削除しました",
    "履歴を消去しました",
    "カテゴリで絞り込む",
    "すべて",
];

const PT: &[&str] = &[
    "Pesquisar ajuda",
    "Pesquisar artigos de ajuda…",
    "Pesquisar no centro de ajuda",
    "Pesquisa de ajuda",
    "Resultados da pesquisa",
    "Fechar",
    "1 resultado",
    "{n} resultados",
    "Sem resultados para «{q}»",
    "Experimente outras palavras ou abra um dos artigos mais lidos.",
    "Artigos mais lidos",
    "A carregar o centro de ajuda…",
    "A preparar a pesquisa…",
    "Parece estar sem ligação.",
    "O centro de ajuda está ocupado. Tente novamente dentro de um minuto.",
    "O centro de ajuda não está disponível de momento.",
    "Não foi possível ler o conteúdo do centro de ajuda.",
    "Tentar novamente",
    "Voltar aos resultados",
    "Abrir o artigo completo",
    "Idioma",
    "Contactar o suporte",
    "Mostrar mais resultados",
    "Artigos sugeridos",
    "Pesquisas recentes",
    "Vistos recentemente",
    "Limpar histórico",
    "Remover",
    "Prima Delete para o remover do histórico",
    "Removido do histórico",
    "Histórico limpo",
    "Filtrar por categoria",
    "Todas",
];

const PT_BR: &[&str] = &[
    "Pesquisar ajuda",
    "Pesquisar artigos de ajuda…",
    "Pesquisar na central de ajuda",
    "Pesquisa de ajuda",
    "Resultados da pesquisa",
    "Fechar",
    "1 resultado",
    "{n} resultados",
    "Nenhum resultado para “{q}”",
    "Tente outras palavras ou abra um dos artigos populares.",
    "Artigos populares",
    "Carregando a central de ajuda…",
    "Preparando a pesquisa…",
    "Parece que você está sem conexão.",
    "A central de ajuda está ocupada. Tente novamente em um minuto.",
    "A central de ajuda não está disponível no momento.",
    "Não foi possível ler o conteúdo da central de ajuda.",
    "Tentar novamente",
    "Voltar aos resultados",
    "Abrir o artigo completo",
    "Idioma",
    "Falar com o suporte",
    "Ver mais resultados",
    "Artigos sugeridos",
    "Pesquisas recentes",
    "Vistos recentemente",
    "Limpar histórico",
    "Remover",
    "Pressione Delete para removê-lo do histórico",
    "Removido do histórico",
    "Histórico limpo",
    "Filtrar por categoria",
    "Todas",
];

const ZH_CN: &[&str] = &[
    "搜索帮助",
    "搜索帮助文章…",
    "搜索帮助中心",
    "帮助搜索",
    "搜索结果",
    "关闭",
    "1 条结果",
    "{n} 条结果",
    "没有与“{q}”相关的结果",
    "请尝试其他关键词，或打开一篇热门文章。",
    "热门文章",
    "正在加载帮助中心…",
    "正在准备搜索…",
    "您似乎处于离线状态。",
    "帮助中心繁忙，请一分钟后重试。",
    "帮助中心暂时不可用。",
    "无法读取帮助中心的内容。",
    "重试",
    "返回搜索结果",
    "打开完整文章",
    "语言",
    "联系支持团队",
    "显示更多结果",
    "推荐文章",
    "最近搜索",
    "最近浏览",
    "清除历史记录",
    "移除",
    "按 Delete 键从历史记录中移除",
    "已从历史记录中移除",
    "历史记录已清除",
    "按类别筛选",
    "全部",
];

const ZH_TW: &[&str] = &[
    "搜尋說明",
    "搜尋說明文章…",
    "搜尋說明中心",
    "說明搜尋",
    "搜尋結果",
    "關閉",
    "1 筆結果",
    "{n} 筆結果",
    "找不到與「{q}」相關的結果",
    "請嘗試其他關鍵字，或開啟一篇熱門文章。",
    "熱門文章",
    "正在載入說明中心…",
    "正在準備搜尋…",
    "您似乎處於離線狀態。",
    "說明中心忙碌中，請一分鐘後再試。",
    "說明中心目前無法使用。",
    "無法讀取說明中心的內容。",
    "重試",
    "返回搜尋結果",
    "開啟完整文章",
    "語言",
    "聯絡支援團隊",
    "顯示更多結果",
    "推薦文章",
    "最近搜尋",
    "最近瀏覽",
    "清除記錄",
    "移除",
    "按 Delete 鍵從記錄中移除",
    "已從記錄中移除",
    "記錄已清除",
    "依類別篩選",
    "全部",
];

const ID: &[&str] = &[
    "Cari bantuan",
    "Cari artikel bantuan…",
    "Cari di pusat bantuan",
    "Pencarian bantuan",
    "Hasil pencarian",
    "Tutup",
    "1 hasil",
    "{n} hasil",
    "Tidak ada hasil untuk “{q}”",
    "Coba kata lain, atau buka salah satu artikel populer.",
    "Artikel populer",
    "Memuat pusat bantuan…",
    "Menyiapkan pencarian…",
    "Sepertinya Anda sedang offline.",
    "Pusat bantuan sedang sibuk. Coba lagi dalam satu menit.",
    "Pusat bantuan sedang tidak tersedia.",
    "Konten pusat bantuan tidak dapat dibaca.",
    "Coba lagi",
    "Kembali ke hasil",
    "Buka artikel lengkap",
    "Bahasa",
    "Hubungi dukungan",
    "Tampilkan hasil lainnya",
    "Artikel yang disarankan",
    "Pencarian terbaru",
    "Terakhir dilihat",
    "Hapus riwayat",
    "Hapus",
    "Tekan Delete untuk menghapusnya dari riwayat",
    "Dihapus dari riwayat",
    "Riwayat dihapus",
    "Filter menurut kategori",
    "Semua",
];

/// Languages with a built-in table.
pub const UI_LANGUAGES: &[&str] = &[
    "en", "de", "es", "fr", "it", "ja", "pt", "pt-br", "zh-cn", "zh-tw", "id",
];

fn table(lang: &str) -> &'static [&'static str] {
    match lang {
        "de" => DE,
        "es" => ES,
        "fr" => FR,
        "it" => IT,
        "ja" => JA,
        "pt" => PT,
        "pt-br" => PT_BR,
        "zh-cn" => ZH_CN,
        "zh-tw" => ZH_TW,
        "id" => ID,
        _ => EN,
    }
}

pub use hc_core::lang::language_name;

/// The built-in text of `text` in `lang` (English for a language without
/// a table).
pub fn builtin(lang: &str, text: Text) -> &'static str {
    table(lang)[text as usize]
}

/// The strings the loader draws before the UI loads (the launcher's text,
/// the inline box's placeholder and label). `cargo xtask build-web` writes
/// them, for every built-in language, into `www/hc-search.js`.
pub const LAUNCHER_TEXTS: [Text; 3] = [Text::Launcher, Text::Placeholder, Text::Label];

/// Tags that are not a table's code but negotiate to one, for the loader,
/// which finds a table by a tag, its alias, or the tag cut at its last
/// subtag (`launcherStrings` in `www/hc-search.js`); together they pick
/// what [`crate::options::Options::ui_language`] picks (tested here).
pub fn launcher_aliases() -> Vec<(&'static str, String)> {
    let available: Vec<hc_core::LangCode> =
        UI_LANGUAGES.iter().filter_map(|l| l.parse().ok()).collect();
    const TAGS: &[&str] = &[
        "zh", "zh-hant", "zh-hans", "zh-hk", "zh-mo", "zh-sg", "zh-my", "in",
    ];
    TAGS.iter()
        .filter_map(|tag| {
            let code = hc_core::lang::match_tag(tag, &available)?;
            (code.as_str() != *tag).then(|| (*tag, code.to_string()))
        })
        .collect()
}

/// The strings of one language with the host's overrides applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Strings {
    /// Indexed by `Text as usize`.
    values: Vec<String>,
}

impl Strings {
    pub fn new(lang: &str, overrides: &HashMap<String, String>) -> Self {
        let t = table(lang);
        let values = KEYS
            .iter()
            .enumerate()
            .map(|(i, key)| {
                overrides
                    .get(*key)
                    .cloned()
                    .unwrap_or_else(|| t[i].to_string())
            })
            .collect();
        Strings { values }
    }

    pub fn get(&self, text: Text) -> String {
        self.values[text as usize].clone()
    }

    /// "3 results" / "1 result".
    pub fn count(&self, n: u32) -> String {
        if n == 1 {
            self.get(Text::ResultsOne)
        } else {
            self.get(Text::ResultsMany).replace("{n}", &n.to_string())
        }
    }

    pub fn no_results(&self, query: &str) -> String {
        self.get(Text::NoResults).replace("{q}", query)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The npm package's `HcStringKey` type lists exactly these keys, in
    /// this order: a key added here and not there (or a typo) fails.
    #[test]
    fn the_typescript_string_keys_are_these_keys() {
        let dts = include_str!("../../../npm/index.d.ts");
        let start = dts
            .find("export type HcStringKey =")
            .expect("npm/index.d.ts declares HcStringKey");
        let union = &dts[start..];
        let union = &union[..union.find(';').expect("the type ends with ;")];
        let keys: Vec<&str> = union
            .split('|')
            .skip(1)
            .map(|k| k.trim().trim_matches('"'))
            .collect();
        assert_eq!(keys, KEYS);
    }

    #[test]
    fn every_table_is_complete_and_translated() {
        for lang in UI_LANGUAGES {
            let t = table(lang);
            assert_eq!(t.len(), KEYS.len(), "{lang}");
            assert!(t.iter().all(|s| !s.trim().is_empty()), "{lang}");
            assert!(t[Text::ResultsMany as usize].contains("{n}"), "{lang}");
            assert!(t[Text::NoResults as usize].contains("{q}"), "{lang}");
            if *lang != "en" {
                assert_ne!(
                    t[Text::Placeholder as usize],
                    EN[Text::Placeholder as usize],
                    "{lang} placeholder is translated"
                );
            }
        }
    }

    /// The loader's way to a table (`launcherStrings` in www/hc-search.js,
    /// transcribed) picks the language the UI starts in.
    #[test]
    fn the_loader_finds_the_table_the_ui_starts_with() {
        let aliases: HashMap<&str, String> = launcher_aliases().into_iter().collect();
        let loader = |tags: &[&str]| -> String {
            for tag in tags {
                let mut t = tag.trim().to_lowercase().replace('_', "-");
                while !t.is_empty() {
                    if UI_LANGUAGES.contains(&t.as_str()) {
                        return t;
                    }
                    if let Some(code) = aliases.get(t.as_str()) {
                        return code.clone();
                    }
                    t = match t.rfind('-') {
                        Some(cut) if cut > 0 => t[..cut].to_string(),
                        _ => String::new(),
                    };
                }
            }
            "en".into()
        };
        let tags = [
            "de",
            "de-DE",
            "de-AT",
            "DE_ch",
            "ja",
            "ja-JP",
            "en-GB",
            "fr-CA",
            "pt",
            "pt-BR",
            "pt-PT",
            "pt-br",
            "zh",
            "zh-CN",
            "zh-TW",
            "zh-HK",
            "zh-MO",
            "zh-SG",
            "zh-Hant",
            "zh-Hans",
            "zh-Hant-HK",
            "zh-Hans-CN",
            "zh-Hant-TW",
            "id",
            "in",
            "id-ID",
            "it-CH",
            "es-419",
            "es-MX",
            "ko",
            "ko-KR",
            "xx",
            "",
            "  de  ",
        ];
        for first in tags {
            for second in ["ja", "ko", "pt-BR"] {
                let o = crate::options::Options {
                    page_lang: Some(first.to_string()),
                    visitor_languages: vec![second.to_string()],
                    ..Default::default()
                };
                assert_eq!(
                    loader(&[first, second]),
                    o.ui_language(),
                    "{first:?}, {second:?}"
                );
            }
        }
        assert_eq!(builtin("de", Text::Launcher), "Hilfe durchsuchen");
    }

    #[test]
    fn overrides_and_placeholders() {
        let overrides = [("placeholder".to_string(), "Ask us".to_string())].into();
        let s = Strings::new("de", &overrides);
        assert_eq!(s.get(Text::Placeholder), "Ask us");
        assert_eq!(s.count(3), "3 Ergebnisse");
        assert_eq!(s.count(1), "1 Ergebnis");
        assert_eq!(s.no_results("xyz"), "Keine Ergebnisse für „xyz“");
        assert_eq!(
            Strings::new("ko", &HashMap::new()).get(Text::Close),
            "Close"
        );
        assert_eq!(Text::NoResultsHint.key(), "no_results_hint");
    }
}
