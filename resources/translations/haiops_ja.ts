<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
<context>
    <name>ActionSignatureDialog</name>
    <message>
        <source>Why (needed)</source>
        <translation>理由（必須）</translation>
    </message>
    <message>
        <source>Enter your user ID and password.</source>
        <translation>ユーザー ID とパスワードを入力してください。</translation>
    </message>
    <message>
        <source>Enter the reason for this signature.</source>
        <translation>この署名の理由を入力してください。</translation>
    </message>
</context>
<context>
    <name>AdjudicationView</name>
    <message>
        <source>{title}: A = {a}, B = {b}</source>
        <translation>{title}：A = {a}、B = {b}</translation>
    </message>
    <message>
        <source>differences: {n}; agreeing pairs, kept as A made them: {agreeing}</source>
        <translation>相違点：{n} 件。一致したペア（A の記録のまま残します）：{agreeing} 件</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>相違点</translation>
    </message>
    <message>
        <source>A: {who}</source>
        <translation>A：{who}</translation>
    </message>
    <message>
        <source>B: {who}</source>
        <translation>B：{who}</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>判断</translation>
    </message>
    <message>
        <source>1 = take A · 2 = take B · E = edit · N = next · P = previous · Ctrl+Enter = sign</source>
        <translation>1 = A を採用 · 2 = B を採用 · E = 編集 · N = 次へ · P = 前へ · Ctrl+Enter = 署名</translation>
    </message>
    <message>
        <source>Sign as reviewed…</source>
        <translation>レビュー済みとして署名…</translation>
    </message>
    <message>
        <source>Sign as reviewed (Ctrl+Enter)</source>
        <translation>レビュー済みとして署名（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Take A&apos;s record</source>
        <translation>A の記録を採用</translation>
    </message>
    <message>
        <source>Take B&apos;s record</source>
        <translation>B の記録を採用</translation>
    </message>
    <message>
        <source>Write a record of your own</source>
        <translation>自分で記録を作成</translation>
    </message>
    <message>
        <source>Next difference</source>
        <translation>次の相違点</translation>
    </message>
    <message>
        <source>Previous difference</source>
        <translation>前の相違点</translation>
    </message>
    <message>
        <source>Sign</source>
        <translation>署名</translation>
    </message>
    <message>
        <source>overlap {value}</source>
        <translation>重なり {value}</translation>
    </message>
    <message>
        <source>A (1)</source>
        <translation>A（1）</translation>
    </message>
    <message>
        <source>none, as A (1)</source>
        <translation>なし、A のとおり（1）</translation>
    </message>
    <message>
        <source>B (2)</source>
        <translation>B（2）</translation>
    </message>
    <message>
        <source>none, as B (2)</source>
        <translation>なし、B のとおり（2）</translation>
    </message>
    <message>
        <source>Own record (E)</source>
        <translation>自分の記録（E）</translation>
    </message>
    <message>
        <source>No differences</source>
        <translation>相違点なし</translation>
    </message>
    <message>
        <source>chosen</source>
        <translation>選択済み</translation>
    </message>
    <message>
        <source>Difference {n} of {count}, {done} decided</source>
        <translation>相違点 {n}/{count}、判断済み {done} 件</translation>
    </message>
</context>
<context>
    <name>AdjudicationWindow</name>
    <message>
        <source>Adjudicate {title}</source>
        <translation>{title} の裁定</translation>
    </message>
    <message>
        <source>Own record</source>
        <translation>自分の記録</translation>
    </message>
    <message>
        <source>Take A&apos;s judgement (1) or B&apos;s (2).</source>
        <translation>A の判定（1）か B の判定（2）を採用してください。</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>ラベル</translation>
    </message>
</context>
<context>
    <name>AlertsDialog</name>
    <message>
        <source>Account alerts</source>
        <translation>アカウントの警告</translation>
    </message>
    <message>
        <source>Acknowledge…</source>
        <translation>確認済みにする…</translation>
    </message>
    <message>
        <source>Mark the selected alert as seen, with a reason</source>
        <translation>選択した警告を、理由を添えて確認済みにします</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <source>{user}: account locked after {failures} failed sign-ins ({at})</source>
        <translation>{user}：サインインに {failures} 回失敗したためアカウントをロック（{at}）</translation>
    </message>
    <message>
        <source>{user}: {kind} ({at})</source>
        <translation>{user}：{kind}（{at}）</translation>
    </message>
    <message>
        <source>Acknowledge alert</source>
        <translation>警告の確認</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>理由：</translation>
    </message>
</context>
<context>
    <name>AuditViewer</name>
    <message>
        <source>Seq</source>
        <translation>連番</translation>
    </message>
    <message>
        <source>Time (local)</source>
        <translation>日時（ローカル）</translation>
    </message>
    <message>
        <source>User</source>
        <translation>ユーザー</translation>
    </message>
    <message>
        <source>Printed name</source>
        <translation>氏名</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Record type</source>
        <translation>記録の種類</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>記録</translation>
    </message>
    <message>
        <source>Old value</source>
        <translation>変更前の値</translation>
    </message>
    <message>
        <source>New value</source>
        <translation>変更後の値</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>Action code</source>
        <translation>操作コード</translation>
    </message>
    <message>
        <source>Account locked</source>
        <extracomment>Column of the action&apos;s human name; its code is in ACTION_CODE_COLUMN. Hidden until an inspector shows it from the header&apos;s context menu. Date filters read the same in every locale (ISO 8601). Human names of the audit actions written by storage/, sync/ and app/.</extracomment>
        <translation>アカウントのロック</translation>
    </message>
    <message>
        <source>Project file stored</source>
        <translation>プロジェクトファイルの保存</translation>
    </message>
    <message>
        <source>Audit checkpoint made</source>
        <translation>監査チェックポイントの作成</translation>
    </message>
    <message>
        <source>Audit trail exported</source>
        <translation>監査証跡のエクスポート</translation>
    </message>
    <message>
        <source>Audit trail reviewed</source>
        <translation>監査証跡の閲覧</translation>
    </message>
    <message>
        <source>DICOM SEG exported</source>
        <translation>DICOM SEG のエクスポート</translation>
    </message>
    <message>
        <source>DICOM SR exported</source>
        <translation>DICOM SR のエクスポート</translation>
    </message>
    <message>
        <source>Password changed</source>
        <translation>パスワードの変更</translation>
    </message>
    <message>
        <source>Password policy changed</source>
        <translation>パスワードポリシーの変更</translation>
    </message>
    <message>
        <source>Project backed up</source>
        <translation>プロジェクトのバックアップ</translation>
    </message>
    <message>
        <source>Project created</source>
        <translation>プロジェクトの作成</translation>
    </message>
    <message>
        <source>Project restored</source>
        <translation>プロジェクトの復元</translation>
    </message>
    <message>
        <source>Record received in a bundle</source>
        <translation>バンドルからの記録の受信</translation>
    </message>
    <message>
        <source>Record created</source>
        <translation>記録の作成</translation>
    </message>
    <message>
        <source>Record deleted</source>
        <translation>記録の削除</translation>
    </message>
    <message>
        <source>Record revised</source>
        <translation>記録の修正</translation>
    </message>
    <message>
        <source>Recovery key stored</source>
        <translation>回復用鍵の保存</translation>
    </message>
    <message>
        <source>Session locked</source>
        <translation>セッションのロック</translation>
    </message>
    <message>
        <source>Signed in</source>
        <translation>サインイン</translation>
    </message>
    <message>
        <source>Sign-in failed</source>
        <translation>サインインの失敗</translation>
    </message>
    <message>
        <source>Sign-in refused</source>
        <translation>サインインの拒否</translation>
    </message>
    <message>
        <source>Signed out</source>
        <translation>サインアウト</translation>
    </message>
    <message>
        <source>Signature refused</source>
        <translation>署名の拒否</translation>
    </message>
    <message>
        <source>Signed</source>
        <translation>署名</translation>
    </message>
    <message>
        <source>Signing key created</source>
        <translation>署名鍵の作成</translation>
    </message>
    <message>
        <source>User added</source>
        <translation>ユーザーの追加</translation>
    </message>
    <message>
        <source>User deactivated</source>
        <translation>ユーザーの無効化</translation>
    </message>
    <message>
        <source>Password reset</source>
        <translation>パスワードのリセット</translation>
    </message>
    <message>
        <source>User roles changed</source>
        <translation>ユーザーのロール変更</translation>
    </message>
    <message>
        <source>Alert: {kind}</source>
        <translation>警告：{kind}</translation>
    </message>
    <message>
        <source>Record ID</source>
        <translation>記録 ID</translation>
    </message>
    <message>
        <source>User ID</source>
        <translation>ユーザー ID</translation>
    </message>
    <message>
        <source>Any action</source>
        <translation>すべての操作</translation>
    </message>
    <message>
        <source>From</source>
        <translation>開始日</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>表示</translation>
    </message>
    <message>
        <source>Verify chain</source>
        <translation>チェーンを検証</translation>
    </message>
    <message>
        <source>Select an entry to see its old and new values in full.</source>
        <translation>エントリを選択すると、変更前と変更後の値がすべて表示されます。</translation>
    </message>
    <message>
        <source>to</source>
        <translation>～</translation>
    </message>
    <message>
        <source>{count} entries</source>
        <translation>{count} 件</translation>
    </message>
    <message>
        <source>Chain OK: {count} entries, head {hash}</source>
        <translation>チェーン正常：{count} 件、先頭ハッシュ {hash}</translation>
    </message>
    <message>
        <source>Chain broken at entry {seq}: {problem}</source>
        <translation>エントリ {seq} でチェーンが壊れています：{problem}</translation>
    </message>
</context>
<context>
    <name>CodeSearchDialog</name>
    <message>
        <source>Code the span</source>
        <translation>スパンをコード化</translation>
    </message>
    <message>
        <source>Type an LLT in English, kanji or kana, or a code</source>
        <translation>LLT を英語・漢字・かな、またはコードで入力してください</translation>
    </message>
    <message>
        <source>LLT</source>
        <translation>LLT</translation>
    </message>
    <message>
        <source>PT</source>
        <translation>PT</translation>
    </message>
    <message>
        <source>HLT</source>
        <translation>HLT</translation>
    </message>
    <message>
        <source>HLGT</source>
        <translation>HLGT</translation>
    </message>
    <message>
        <source>SOC</source>
        <translation>SOC</translation>
    </message>
    <message>
        <source>not current</source>
        <translation>非カレント</translation>
    </message>
    <message>
        <source>Not current in this MedDRA version: choose a current LLT</source>
        <translation>この MedDRA バージョンではカレントではありません。カレントの LLT を選んでください</translation>
    </message>
    <message>
        <source>Choose a current LLT from the list.</source>
        <translation>一覧からカレントの LLT を選んでください。</translation>
    </message>
    <message>
        <source>Verbatim</source>
        <translation>報告用語（原文）</translation>
    </message>
    <message>
        <source>What changed</source>
        <translation>変更内容</translation>
    </message>
    <message>
        <source>Verbatim: {text}</source>
        <translation>原文：{text}</translation>
    </message>
    <message>
        <source>primary</source>
        <translation>主</translation>
    </message>
    <message>
        <source>Codes changed by MedDRA {version}</source>
        <translation>MedDRA {version} で変わったコード</translation>
    </message>
    <message>
        <source>{count} codes of this project made with MedDRA {old} change in {new}. Review these spans and code them again where needed.</source>
        <translation>MedDRA {old} で付けたこのプロジェクトのコードのうち {count} 件が {new} で変更されます。該当するスパンを確認し、必要に応じてコードを付け直してください。</translation>
    </message>
    <message>
        <source>No LLT matches {query}.</source>
        <translation>{query} に一致する LLT はありません。</translation>
    </message>
    <message>
        <source>{count} LLTs. Enter chooses; Esc cancels.</source>
        <translation>LLT {count} 件。Enter で選択、Esc で取り消し。</translation>
    </message>
</context>
<context>
    <name>ConflictPanel</name>
    <message>
        <source>Why this version is kept (required)</source>
        <translation>このバージョンを残す理由（必須）</translation>
    </message>
    <message>
        <source>Resolve and sign</source>
        <translation>解決して署名</translation>
    </message>
    <message>
        <source>Keep the chosen version, name the others, sign it as approved</source>
        <translation>選んだバージョンを残し、ほかのバージョンを記録したうえで承認として署名します</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>残す</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>User ID</source>
        <translation>ユーザー ID</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>パスワード</translation>
    </message>
    <message>
        <source>Resolve</source>
        <translation>解決</translation>
    </message>
    <message>
        <source>No records are in conflict.</source>
        <translation>競合している記録はありません。</translation>
    </message>
    <message>
        <source>Author</source>
        <translation>作成者</translation>
    </message>
    <message>
        <source>Workstation</source>
        <translation>ワークステーション</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>日時</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>削除</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>はい</translation>
    </message>
    <message>
        <source>no</source>
        <translation>いいえ</translation>
    </message>
    <message>
        <source>Content</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>the same</source>
        <translation>同一</translation>
    </message>
    <message>
        <source>Version {n}</source>
        <translation>バージョン {n}</translation>
    </message>
    <message>
        <source>Version {n}: {author} at {workstation}</source>
        <translation>バージョン {n}：{author}（{workstation}）</translation>
    </message>
    <message>
        <source>Enter the reason for keeping this version.</source>
        <translation>このバージョンを残す理由を入力してください。</translation>
    </message>
    <message>
        <source>Enter your user ID and password.</source>
        <translation>ユーザー ID とパスワードを入力してください。</translation>
    </message>
    <message>
        <source>Resolved and signed as approved.</source>
        <translation>解決し、承認として署名しました。</translation>
    </message>
</context>
<context>
    <name>DocumentItemView</name>
    <message>
        <source>Importing documents</source>
        <translation>文書を取り込んでいます</translation>
    </message>
    <message>
        <source>LLT no longer in the release</source>
        <translation>この LLT はリリースにありません</translation>
    </message>
    <message>
        <source>LLT no longer current</source>
        <translation>この LLT はカレントではなくなりました</translation>
    </message>
    <message>
        <source>Loading MedDRA</source>
        <translation>MedDRA を読み込んでいます</translation>
    </message>
    <message>
        <source>Choose the ascii folder of your MedDRA release</source>
        <translation>MedDRA リリースの ascii フォルダを選んでください</translation>
    </message>
    <message>
        <source>MedDRA version</source>
        <translation>MedDRA のバージョン</translation>
    </message>
    <message>
        <source>The folder has no meddra_release.asc. Which version is it (for example 27.0)?</source>
        <translation>フォルダに meddra_release.asc がありません。バージョンはいくつですか（例：27.0）？</translation>
    </message>
    <message>
        <source>Opening the document...</source>
        <translation>文書を開いています...</translation>
    </message>
    <message>
        <source>Previous page</source>
        <translation>前のページ</translation>
    </message>
    <message>
        <source>Next page</source>
        <translation>次のページ</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>拡大</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>縮小</translation>
    </message>
    <message>
        <source>Fit width</source>
        <translation>幅に合わせる</translation>
    </message>
    <message>
        <source>Fit the page to the width</source>
        <translation>ページを幅に合わせて表示します</translation>
    </message>
    <message>
        <source>Negated</source>
        <translation>否定</translation>
    </message>
    <message>
        <source>Flip negated of the span</source>
        <translation>スパンの「否定」を切り替えます</translation>
    </message>
    <message>
        <source>Hypothetical</source>
        <translation>仮定</translation>
    </message>
    <message>
        <source>Flip hypothetical of the span</source>
        <translation>スパンの「仮定」を切り替えます</translation>
    </message>
    <message>
        <source>Delete span</source>
        <translation>スパンを削除</translation>
    </message>
    <message>
        <source>Delete the selected span</source>
        <translation>選択したスパンを削除します</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>元に戻す</translation>
    </message>
    <message>
        <source>Undo the last span change</source>
        <translation>直前のスパンの変更を元に戻します</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>やり直し</translation>
    </message>
    <message>
        <source>Redo the span change</source>
        <translation>スパンの変更をやり直します</translation>
    </message>
    <message>
        <source>Code span</source>
        <translation>スパンをコード化</translation>
    </message>
    <message>
        <source>Code the span in MedDRA</source>
        <translation>スパンに MedDRA のコードを付けます</translation>
    </message>
    <message>
        <source>Suggest from dictionary</source>
        <translation>辞書から候補を提示</translation>
    </message>
    <message>
        <source>Suggest spans of MedDRA terms found in the text</source>
        <translation>本文中に見つかった MedDRA 用語をスパンの候補として提示します</translation>
    </message>
    <message>
        <source>Accept suggestion</source>
        <translation>候補を採用</translation>
    </message>
    <message>
        <source>Accept the suggestion as a span</source>
        <translation>候補をスパンとして採用します</translation>
    </message>
    <message>
        <source>Reject suggestion</source>
        <translation>候補を却下</translation>
    </message>
    <message>
        <source>Reject the suggestion</source>
        <translation>候補を却下します</translation>
    </message>
    <message>
        <source>Relate spans</source>
        <translation>スパンを関連付け</translation>
    </message>
    <message>
        <source>Relate the selected span to the Ctrl+clicked one</source>
        <translation>選択したスパンを Ctrl+クリックしたスパンに関連付けます</translation>
    </message>
    <message>
        <source>Find (Ctrl+F)</source>
        <translation>検索（Ctrl+F）</translation>
    </message>
    <message>
        <source>Find a term (NFKC, any case); Enter selects the next match</source>
        <translation>用語を検索（NFKC 正規化、大文字小文字を区別しない）。Enter で次の一致を選択</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>検索</translation>
    </message>
    <message>
        <source>Find a term</source>
        <translation>用語を検索</translation>
    </message>
    <message>
        <source>Opening document</source>
        <translation>文書を開いています</translation>
    </message>
    <message>
        <source>Label span</source>
        <translation>スパンにラベルを付ける</translation>
    </message>
    <message>
        <source>Why is the span changed?</source>
        <translation>スパンを変更する理由は？</translation>
    </message>
    <message>
        <source>Why is the span deleted?</source>
        <translation>スパンを削除する理由は？</translation>
    </message>
    <message>
        <source>Reason for the change</source>
        <translation>変更の理由</translation>
    </message>
    <message>
        <source>Suggesting spans</source>
        <translation>スパンの候補を探しています</translation>
    </message>
    <message>
        <source>Type of the relation from the first span:</source>
        <translation>最初のスパンからの関係の種類：</translation>
    </message>
    <message>
        <source>Why is the relation added?</source>
        <translation>関係を追加する理由は？</translation>
    </message>
    <message>
        <source>Why is the relation deleted?</source>
        <translation>関係を削除する理由は？</translation>
    </message>
    <message>
        <source>LLT {llt_code} {llt} / PT {pt_code} {pt} (MedDRA {version})</source>
        <translation>LLT {llt_code} {llt} / PT {pt_code} {pt}（MedDRA {version}）</translation>
    </message>
    <message>
        <source>redo</source>
        <translation>やり直し</translation>
    </message>
    <message>
        <source>undo</source>
        <translation>元に戻す</translation>
    </message>
    <message>
        <source>LLT moved to PT {code}</source>
        <translation>LLT の所属先が PT {code} に変更</translation>
    </message>
    <message>
        <source>primary SOC now {code}</source>
        <translation>主 SOC が {code} に変更</translation>
    </message>
    <message>
        <source>The document could not be opened.</source>
        <translation>文書を開けませんでした。</translation>
    </message>
    <message>
        <source>Change span</source>
        <translation>スパンを変更</translation>
    </message>
    <message>
        <source>adjudicated by {author}</source>
        <translation>{author} が裁定</translation>
    </message>
    <message>
        <source>This item was submitted.</source>
        <translation>この項目は提出済みです。</translation>
    </message>
    <message>
        <source>No MedDRA is loaded in this project. Load your MedDRA release with Tools &gt; Load MedDRA..., then press C again.</source>
        <translation>このプロジェクトには MedDRA が読み込まれていません。ツール &gt; MedDRA を読み込む... でリリースを読み込んでから、もう一度 C を押してください。</translation>
    </message>
    <message>
        <source>Suggestion: {term} ({count} left). A accepts as {label}, R rejects.</source>
        <translation>候補：{term}（残り {count} 件）。A で {label} として採用、R で却下。</translation>
    </message>
    <message>
        <source>No match for {term}</source>
        <translation>{term} に一致するものはありません</translation>
    </message>
</context>
<context>
    <name>ErrorMessage</name>
    <message>
        <source>HAIOps Workstation</source>
        <translation>HAIOps Workstation</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>詳細をコピー</translation>
    </message>
</context>
<context>
    <name>LabelPalette</name>
    <message>
        <source>No labels defined yet. A site lead sets the project&apos;s labels.</source>
        <translation>ラベルはまだ定義されていません。プロジェクトのラベルはサイト責任者が設定します。</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>ラベル</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>キー</translation>
    </message>
    <message>
        <source>{text} (key {key})</source>
        <translation>{text}（キー {key}）</translation>
    </message>
    <message>
        <source>Label key {key} (no label)</source>
        <translation>ラベルキー {key}（ラベルなし）</translation>
    </message>
</context>
<context>
    <name>LabelSetDialog</name>
    <message>
        <source>Label set: {scope} (version {version})</source>
        <translation>ラベルセット：{scope}（バージョン {version}）</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>色</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>キー</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>説明</translation>
    </message>
    <message>
        <source>Add label</source>
        <translation>ラベルを追加</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>削除</translation>
    </message>
    <message>
        <source>Import from JSON…</source>
        <translation>JSON から読み込む…</translation>
    </message>
    <message>
        <source>Replace the table with the labels of a JSON file</source>
        <translation>表の内容を JSON ファイルのラベルで置き換えます</translation>
    </message>
    <message>
        <source>images</source>
        <translation>画像</translation>
    </message>
    <message>
        <source>documents</source>
        <translation>文書</translation>
    </message>
    <message>
        <source>Choose the label&apos;s colour</source>
        <translation>ラベルの色を選択</translation>
    </message>
    <message>
        <source>Import label set</source>
        <translation>ラベルセットの読み込み</translation>
    </message>
    <message>
        <source>Label sets (*.json)</source>
        <translation>ラベルセット (*.json)</translation>
    </message>
    <message>
        <source>Add at least one label.</source>
        <translation>ラベルを 1 つ以上追加してください。</translation>
    </message>
    <message>
        <source>Every label needs a name.</source>
        <translation>すべてのラベルに名前が必要です。</translation>
    </message>
    <message>
        <source>Two labels have the same name.</source>
        <translation>同じ名前のラベルが 2 つあります。</translation>
    </message>
    <message>
        <source>Two labels have the same key.</source>
        <translation>同じキーのラベルが 2 つあります。</translation>
    </message>
</context>
<context>
    <name>LockDialog</name>
    <message>
        <source>Screen locked</source>
        <translation>画面ロック中</translation>
    </message>
    <message>
        <source>The screen was locked. {name}, enter your password to continue.</source>
        <translation>画面がロックされました。{name} さん、続けるにはパスワードを入力してください。</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>パスワード</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>ロック解除</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>サインアウト</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>{project} - HAIOps Workstation</source>
        <translation>{project} - HAIOps Workstation</translation>
    </message>
    <message>
        <source>Worklist</source>
        <translation>ワークリスト</translation>
    </message>
    <message>
        <source>Nothing to annotate yet.</source>
        <translation>アノテーションの対象はまだありません。</translation>
    </message>
    <message>
        <source>Annotation</source>
        <translation>アノテーション</translation>
    </message>
    <message>
        <source>Viewer tools</source>
        <translation>ビューアツール</translation>
    </message>
    <message>
        <source>Open series folder…</source>
        <translation>シリーズフォルダを開く…</translation>
    </message>
    <message>
        <source>Import label set…</source>
        <translation>ラベルセットを読み込む…</translation>
    </message>
    <message>
        <source>Import documents…</source>
        <translation>文書を取り込む…</translation>
    </message>
    <message>
        <source>Import preference pairs…</source>
        <translation>選好ペアを取り込む…</translation>
    </message>
    <message>
        <source>Load MedDRA…</source>
        <translation>MedDRA を読み込む…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>終了</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>元に戻す</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>やり直し</translation>
    </message>
    <message>
        <source>Full-screen viewer</source>
        <translation>ビューアを全画面表示</translation>
    </message>
    <message>
        <source>Next item</source>
        <translation>次の項目</translation>
    </message>
    <message>
        <source>Previous item</source>
        <translation>前の項目</translation>
    </message>
    <message>
        <source>Refresh worklist</source>
        <translation>ワークリストを更新</translation>
    </message>
    <message>
        <source>Image label set…</source>
        <translation>画像用ラベルセット…</translation>
    </message>
    <message>
        <source>Document label set…</source>
        <translation>文書用ラベルセット…</translation>
    </message>
    <message>
        <source>Lock screen after…</source>
        <translation>画面ロックまでの時間…</translation>
    </message>
    <message>
        <source>Lock screen</source>
        <translation>画面をロック</translation>
    </message>
    <message>
        <source>Submit item for review</source>
        <translation>項目をレビューに提出</translation>
    </message>
    <message>
        <source>Mark reviewed…</source>
        <translation>レビュー済みにする…</translation>
    </message>
    <message>
        <source>Approve…</source>
        <translation>承認…</translation>
    </message>
    <message>
        <source>Reject…</source>
        <translation>差し戻し…</translation>
    </message>
    <message>
        <source>Sign item…</source>
        <translation>項目に署名…</translation>
    </message>
    <message>
        <source>Audit trail…</source>
        <translation>監査証跡…</translation>
    </message>
    <message>
        <source>Account alerts…</source>
        <translation>アカウントの警告…</translation>
    </message>
    <message>
        <source>Quality dashboard…</source>
        <translation>品質ダッシュボード…</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>キーボードショートカット</translation>
    </message>
    <message>
        <source>About HAIOps Workstation</source>
        <translation>HAIOps Workstation について</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <source>Recent projects</source>
        <translation>最近使ったプロジェクト</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>編集(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>表示(&amp;V)</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>テーマ</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>ダーク</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>ライト</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>言語</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>ツール(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Review</source>
        <translation>レビュー(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Sync</source>
        <translation>同期(&amp;S)</translation>
    </message>
    <message>
        <source>Sync with haiops sync push / pull</source>
        <translation>同期は haiops sync push / pull で行います</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>ヘルプ(&amp;H)</translation>
    </message>
    <message>
        <source>Signed in: {name}</source>
        <translation>サインイン中：{name}</translation>
    </message>
    <message>
        <source>Project: {name}</source>
        <translation>プロジェクト：{name}</translation>
    </message>
    <message>
        <source>Sync: not set up</source>
        <translation>同期：未設定</translation>
    </message>
    <message>
        <source>No viewer for items of kind {kind} is installed.</source>
        <translation>種類「{kind}」の項目を表示するビューアがインストールされていません。</translation>
    </message>
    <message>
        <source>Audit trail</source>
        <translation>監査証跡</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>品質</translation>
    </message>
    <message>
        <source>Account alerts waiting: {count} (Tools &gt; Account alerts)</source>
        <translation>未確認のアカウントの警告：{count} 件（ツール &gt; アカウントの警告）</translation>
    </message>
    <message>
        <source>Open series folder</source>
        <translation>シリーズフォルダを開く</translation>
    </message>
    <message>
        <source>The series viewer is not installed in this build.</source>
        <translation>このビルドにはシリーズビューアが含まれていません。</translation>
    </message>
    <message>
        <source>Import documents</source>
        <translation>文書の取り込み</translation>
    </message>
    <message>
        <source>Documents (*.pdf *.txt)</source>
        <translation>文書（*.pdf *.txt）</translation>
    </message>
    <message>
        <source>Import label set</source>
        <translation>ラベルセットの読み込み</translation>
    </message>
    <message>
        <source>Label sets (*.json)</source>
        <translation>ラベルセット (*.json)</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>画像</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>文書</translation>
    </message>
    <message>
        <source>Use the labels for</source>
        <translation>ラベルの用途</translation>
    </message>
    <message>
        <source>Lock screen after</source>
        <translation>画面ロックまでの時間</translation>
    </message>
    <message>
        <source>Minutes without input (at most {limit}):</source>
        <translation>操作がない状態が続く時間（分、最大 {limit}）：</translation>
    </message>
    <message>
        <source>No recent projects</source>
        <translation>最近使ったプロジェクトはありません</translation>
    </message>
    <message>
        <source>HAIOps Workstation {version}

Annotation for regulated healthcare AI: DICOM series, documents and preference pairs, kept in an encrypted project with an audit trail.

Licence: {licence}

It uses PyMuPDF, which is licensed under the GNU Affero General Public License v3.0 (AGPL-3.0); the combined distribution follows the AGPL-3.0 terms.</source>
        <translation>HAIOps Workstation {version}

規制下の医療 AI のためのアノテーションツールです。DICOM シリーズ、文書、選好ペアを、監査証跡付きの暗号化されたプロジェクトに保存します。

ライセンス：{licence}

GNU Affero General Public License v3.0（AGPL-3.0）でライセンスされている PyMuPDF を使用しています。これらを組み合わせた配布物は AGPL-3.0 の条件に従います。</translation>
    </message>
</context>
<context>
    <name>MprView</name>
    <message>
        <source>Axial</source>
        <extracomment>The colour of each plane&apos;s crosshair line in the other planes.</extracomment>
        <translation>軸位断</translation>
    </message>
    <message>
        <source>Coronal</source>
        <translation>冠状断</translation>
    </message>
    <message>
        <source>Sagittal</source>
        <translation>矢状断</translation>
    </message>
    <message>
        <source>3D transfer function (opacity and colour by value)</source>
        <translation>3D の伝達関数（値ごとの不透明度と色）</translation>
    </message>
    <message>
        <source>The 3D view needs a screen (OpenGL).</source>
        <translation>3D 表示には画面（OpenGL）が必要です。</translation>
    </message>
    <message>
        <source>x {x} y {y} z {z} mm</source>
        <translation>x {x} y {y} z {z} mm</translation>
    </message>
    <message>
        <source>{axis} {position} mm</source>
        <translation>{axis} {position} mm</translation>
    </message>
    <message>
        <source>W {width} L {centre}</source>
        <translation>W {width} L {centre}</translation>
    </message>
</context>
<context>
    <name>MyWorkPanel</name>
    <message>
        <source>Title</source>
        <translation>タイトル</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>種類</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>期限</translation>
    </message>
    <message>
        <source>Reviewer&apos;s reason</source>
        <translation>レビュー担当者の理由</translation>
    </message>
    <message>
        <source>No open work is assigned to you.</source>
        <translation>あなたに割り当てられた未完了の作業はありません。</translation>
    </message>
</context>
<context>
    <name>NewProjectDialog</name>
    <message>
        <source>New project</source>
        <translation>新規プロジェクト</translation>
    </message>
    <message>
        <source>Your name as it is printed with your signatures</source>
        <translation>署名とともに表示される氏名</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>作成</translation>
    </message>
    <message>
        <source>Project name</source>
        <translation>プロジェクト名</translation>
    </message>
    <message>
        <source>Project folder</source>
        <translation>プロジェクトフォルダ</translation>
    </message>
    <message>
        <source>User ID</source>
        <translation>ユーザー ID</translation>
    </message>
    <message>
        <source>Printed name</source>
        <translation>表示氏名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>パスワード</translation>
    </message>
    <message>
        <source>Repeat password</source>
        <translation>パスワード（確認）</translation>
    </message>
    <message>
        <source>Fill in every field.</source>
        <translation>すべての項目を入力してください。</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>2 つのパスワードが一致しません。</translation>
    </message>
</context>
<context>
    <name>PageView</name>
    <message>
        <source>Page {number} of {count}</source>
        <translation>{count} ページ中 {number} ページ</translation>
    </message>
    <message>
        <source>OCR</source>
        <translation>OCR</translation>
    </message>
</context>
<context>
    <name>PairImport</name>
    <message>
        <source>{0} items imported from {1} ({2}).</source>
        <translation>{1} から {0} 件の項目を取り込みました（{2}）。</translation>
    </message>
    <message>
        <source>Line {0}: {1}</source>
        <translation>{0} 行目：{1}</translation>
    </message>
    <message>
        <source>... and {0} more bad lines.</source>
        <translation>…ほかに不正な行が {0} 行あります。</translation>
    </message>
    <message>
        <source>Import preference pairs</source>
        <translation>選好ペアの取り込み</translation>
    </message>
    <message>
        <source>JSON Lines (*.jsonl *.json)</source>
        <translation>JSON Lines (*.jsonl *.json)</translation>
    </message>
    <message>
        <source>Preference pairs imported</source>
        <translation>選好ペアを取り込みました</translation>
    </message>
    <message>
        <source>Importing preference pairs</source>
        <translation>選好ペアを取り込んでいます</translation>
    </message>
</context>
<context>
    <name>PairWorkspace</name>
    <message>
        <source>Judgements of this item</source>
        <translation>この項目の判定</translation>
    </message>
    <message>
        <source>Judge</source>
        <translation>判定者</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>判定</translation>
    </message>
    <message>
        <source>Strength</source>
        <translation>強さ</translation>
    </message>
    <message>
        <source>Rationale</source>
        <translation>判断理由</translation>
    </message>
    <message>
        <source>There are no pairs to judge yet.</source>
        <translation>判定するペアはまだありません。</translation>
    </message>
    <message>
        <source>adjudicated by {0}</source>
        <translation>{0} が裁定</translation>
    </message>
    <message>
        <source>Ranked {0}</source>
        <translation>順位 {0}</translation>
    </message>
    <message>
        <source>{0} better</source>
        <translation>{0} が良い</translation>
    </message>
    <message>
        <source>Tie</source>
        <translation>同等</translation>
    </message>
    <message>
        <source>Both bad</source>
        <translation>どちらも不良</translation>
    </message>
    <message>
        <source>Cannot judge</source>
        <translation>判断できない</translation>
    </message>
    <message>
        <source>Slight</source>
        <translation>わずかに</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>明らかに</translation>
    </message>
    <message>
        <source>Strong</source>
        <translation>大きく</translation>
    </message>
    <message>
        <source>Clinical accuracy</source>
        <translation>臨床的な正確さ</translation>
    </message>
    <message>
        <source>Safety</source>
        <translation>安全性</translation>
    </message>
    <message>
        <source>Helpfulness</source>
        <translation>有用性</translation>
    </message>
    <message>
        <source>Completeness</source>
        <translation>網羅性</translation>
    </message>
</context>
<context>
    <name>PlaceholderView</name>
    <message>
        <source>Open an item from the worklist.</source>
        <translation>ワークリストから項目を開いてください。</translation>
    </message>
</context>
<context>
    <name>PreferencePanel</name>
    <message>
        <source>The prompt, turn by turn</source>
        <translation>プロンプト（ターンごと）</translation>
    </message>
    <message>
        <source>Ranking, best first: drag, or Ctrl+Up / Ctrl+Down</source>
        <translation>順位（良い順）：ドラッグ、または Ctrl+↑ / Ctrl+↓</translation>
    </message>
    <message>
        <source>Ranking, best first (Ctrl+Up / Ctrl+Down)</source>
        <translation>順位（良い順、Ctrl+↑ / Ctrl+↓）</translation>
    </message>
    <message>
        <source>Rationale (E); required for unsafe advice and cannot judge</source>
        <translation>判断理由（E）。「安全でない助言」と「判断できない」では必須</translation>
    </message>
    <message>
        <source>A better</source>
        <translation>A が良い</translation>
    </message>
    <message>
        <source>B better</source>
        <translation>B が良い</translation>
    </message>
    <message>
        <source>Tie</source>
        <translation>同等</translation>
    </message>
    <message>
        <source>Both bad</source>
        <translation>どちらも不良</translation>
    </message>
    <message>
        <source>Cannot judge</source>
        <translation>判断できない</translation>
    </message>
    <message>
        <source>Slight</source>
        <translation>わずかに</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>明らかに</translation>
    </message>
    <message>
        <source>Strong</source>
        <translation>大きく</translation>
    </message>
    <message>
        <source>{0} - key {1}</source>
        <translation>{0} - キー {1}</translation>
    </message>
    <message>
        <source>Differences (D)</source>
        <translation>差分（D）</translation>
    </message>
    <message>
        <source>Highlight differences - key D</source>
        <translation>差分を強調表示 - キー D</translation>
    </message>
    <message>
        <source>Save and next (Enter)</source>
        <translation>保存して次へ（Enter）</translation>
    </message>
    <message>
        <source>Save and go to the next item - key Enter</source>
        <translation>保存して次の項目へ - キー Enter</translation>
    </message>
    <message>
        <source>Response {0}</source>
        <translation>応答 {0}</translation>
    </message>
    <message>
        <source>User</source>
        <translation>ユーザー</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>アシスタント</translation>
    </message>
    <message>
        <source>System</source>
        <translation>システム</translation>
    </message>
    <message>
        <source>Hallucination</source>
        <translation>ハルシネーション</translation>
    </message>
    <message>
        <source>Unsafe advice</source>
        <translation>安全でない助言</translation>
    </message>
    <message>
        <source>Outdated guidance</source>
        <translation>古いガイダンス</translation>
    </message>
    <message>
        <source>Flag {0} - key {1}</source>
        <translation>フラグ「{0}」 - キー {1}</translation>
    </message>
    <message>
        <source>Score 1 to 5 (R to start, Tab to move, Esc to leave)</source>
        <translation>1～5 で採点（R で開始、Tab で移動、Esc で終了）</translation>
    </message>
    <message>
        <source>Judged {0} of {1} - item {2} of {3} - {4}:{5:02d}</source>
        <translation>判定済み {0}/{1} - 項目 {2}/{3} - {4}:{5:02d}</translation>
    </message>
</context>
<context>
    <name>QualityDashboard</name>
    <message>
        <source>Not started</source>
        <translation>未着手</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>作業中</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>提出済み</translation>
    </message>
    <message>
        <source>Reviewed</source>
        <translation>レビュー済み</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>承認済み</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>差し戻し</translation>
    </message>
    <message>
        <source>Locked</source>
        <translation>ロック済み</translation>
    </message>
    <message>
        <source>Spans</source>
        <translation>スパン</translation>
    </message>
    <message>
        <source>ROIs</source>
        <translation>ROI</translation>
    </message>
    <message>
        <source>Pair verdicts</source>
        <translation>ペア判定</translation>
    </message>
    <message>
        <source>(nothing there)</source>
        <translation>（該当なし）</translation>
    </message>
    <message>
        <source>First response</source>
        <translation>1 番目の応答</translation>
    </message>
    <message>
        <source>Second response</source>
        <translation>2 番目の応答</translation>
    </message>
    <message>
        <source>Tie</source>
        <translation>同等</translation>
    </message>
    <message>
        <source>Both bad</source>
        <translation>どちらも不良</translation>
    </message>
    <message>
        <source>Cannot judge</source>
        <translation>判断できない</translation>
    </message>
    <message>
        <source>Refresh</source>
        <extracomment>Tables whose rows have a confusion matrix to show when selected.</extracomment>
        <translation>更新</translation>
    </message>
    <message>
        <source>Compute the figures again from the project</source>
        <translation>プロジェクトから指標を再計算します</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>品質</translation>
    </message>
    <message>
        <source>Spans: annotator A against B (exact and overlapping)</source>
        <translation>スパン：アノテーター A と B の比較（完全一致と重なり）</translation>
    </message>
    <message>
        <source>A</source>
        <translation>A</translation>
    </message>
    <message>
        <source>B</source>
        <translation>B</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>文書</translation>
    </message>
    <message>
        <source>Exact F1</source>
        <translation>完全一致 F1</translation>
    </message>
    <message>
        <source>Lenient P</source>
        <translation>緩和 P</translation>
    </message>
    <message>
        <source>Lenient R</source>
        <translation>緩和 R</translation>
    </message>
    <message>
        <source>Lenient F1</source>
        <translation>緩和 F1</translation>
    </message>
    <message>
        <source>Label κ</source>
        <translation>ラベル κ</translation>
    </message>
    <message>
        <source>Character κ</source>
        <translation>文字単位 κ</translation>
    </message>
    <message>
        <source>Code agreement</source>
        <translation>コードの一致度</translation>
    </message>
    <message>
        <source>F1 by label</source>
        <translation>ラベル別 F1</translation>
    </message>
    <message>
        <source>ROIs: paired by overlap on the same slice</source>
        <translation>ROI：同じスライス上の重なりで対応付け</translation>
    </message>
    <message>
        <source>Series</source>
        <translation>シリーズ</translation>
    </message>
    <message>
        <source>Detection F1</source>
        <translation>検出 F1</translation>
    </message>
    <message>
        <source>Mean Dice</source>
        <translation>平均 Dice</translation>
    </message>
    <message>
        <source>Mean IoU</source>
        <translation>平均 IoU</translation>
    </message>
    <message>
        <source>Dice by label</source>
        <translation>ラベル別 Dice</translation>
    </message>
    <message>
        <source>Pair verdicts: judges on the same pairs</source>
        <translation>ペア判定：同じペアに対する判定者間の比較</translation>
    </message>
    <message>
        <source>Judge A</source>
        <translation>判定者 A</translation>
    </message>
    <message>
        <source>Judge B</source>
        <translation>判定者 B</translation>
    </message>
    <message>
        <source>Agreement</source>
        <translation>一致度</translation>
    </message>
    <message>
        <source>κ</source>
        <translation>κ</translation>
    </message>
    <message>
        <source>Confusion matrix of the selected row: A down, B across</source>
        <translation>選択した行の混同行列：縦が A、横が B</translation>
    </message>
    <message>
        <source>A \ B</source>
        <translation>A \ B</translation>
    </message>
    <message>
        <source>Annotators against gold annotations</source>
        <translation>アノテーターとゴールドアノテーションの比較</translation>
    </message>
    <message>
        <source>Annotator</source>
        <translation>アノテーター</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>種類</translation>
    </message>
    <message>
        <source>Scored on</source>
        <translation>評価対象</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>適合率</translation>
    </message>
    <message>
        <source>Recall</source>
        <translation>再現率</translation>
    </message>
    <message>
        <source>F1 / accuracy</source>
        <translation>F1 / 正解率</translation>
    </message>
    <message>
        <source>Label accuracy</source>
        <translation>ラベル正解率</translation>
    </message>
    <message>
        <source>Label distribution per window against the project</source>
        <translation>期間ごとのラベル分布（プロジェクト全体との比較）</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>記録数</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>期間</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>ラベル</translation>
    </message>
    <message>
        <source>χ²</source>
        <translation>χ²</translation>
    </message>
    <message>
        <source>p</source>
        <translation>p</translation>
    </message>
    <message>
        <source>Flag</source>
        <translation>フラグ</translation>
    </message>
    <message>
        <source>Side preference of judges (binomial test)</source>
        <translation>判定者の左右の偏り（二項検定）</translation>
    </message>
    <message>
        <source>Judge</source>
        <translation>判定者</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>左</translation>
    </message>
    <message>
        <source>Right</source>
        <translation>右</translation>
    </message>
    <message>
        <source>No preference</source>
        <translation>偏りなし</translation>
    </message>
    <message>
        <source>Time per item and its trend</source>
        <translation>項目あたりの所要時間と傾向</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>担当者</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>項目数</translation>
    </message>
    <message>
        <source>Median (s)</source>
        <translation>中央値（秒）</translation>
    </message>
    <message>
        <source>Trend (s per item)</source>
        <translation>傾向（項目あたり秒）</translation>
    </message>
    <message>
        <source>Items per status per assignee</source>
        <translation>担当者別・状態別の項目数</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>担当者</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>期限超過</translation>
    </message>
    <message>
        <source>Overdue items (due date passed, not submitted)</source>
        <translation>期限超過の項目（期限を過ぎて未提出）</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>タイトル</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>期限</translation>
    </message>
    <message>
        <source>Days overdue</source>
        <translation>超過日数</translation>
    </message>
    <message>
        <source>Gold standard</source>
        <translation>ゴールドスタンダード</translation>
    </message>
    <message>
        <source>Drift and bias</source>
        <translation>ドリフトとバイアス</translation>
    </message>
    <message>
        <source>Workload</source>
        <translation>作業量</translation>
    </message>
    <message>
        <source>Spans with the same offsets and label on both sides</source>
        <translation>両者で位置とラベルが同じスパン</translation>
    </message>
    <message>
        <source>Spans that overlap and have the same label, each paired once</source>
        <translation>重なりがありラベルが同じスパン（それぞれ 1 回だけ対応付け）</translation>
    </message>
    <message>
        <source>Cohen&apos;s kappa of the labels of annotations paired by overlap; – where it is undefined (one label only)</source>
        <translation>重なりで対応付けたアノテーションのラベルの Cohen の κ。定義できない場合（ラベルが 1 種類のみ）は –</translation>
    </message>
    <message>
        <source>Cohen&apos;s kappa over every character either annotator covered</source>
        <translation>いずれかのアノテーターが付けたすべての文字についての Cohen の κ</translation>
    </message>
    <message>
        <source>2 × shared pixels / (pixels of A + pixels of B), over pairs</source>
        <translation>2 × 共通画素数 /（A の画素数 + B の画素数）、ペア単位</translation>
    </message>
    <message>
        <source>Cohen&apos;s kappa; Fleiss&apos; kappa for all judges</source>
        <translation>Cohen の κ。判定者全体では Fleiss の κ</translation>
    </message>
    <message>
        <source>Rows with p below 0.01 are flagged</source>
        <translation>p が 0.01 未満の行にフラグが付きます</translation>
    </message>
    <message>
        <source>Same code on spans paired by overlap where one side is coded; MedDRA compared at PT level</source>
        <translation>重なりで対応付けたスパンのうち片方以上にコードがあるものでの同一コード率。MedDRA は PT レベルで比較</translation>
    </message>
    <message>
        <source>Figures as of {today} (UTC): {flags} flagged, {overdue} overdue</source>
        <translation>{today}（UTC）時点の指標：フラグ {flags} 件、期限超過 {overdue} 件</translation>
    </message>
    <message>
        <source>Flagged</source>
        <translation>フラグ付き</translation>
    </message>
    <message>
        <source>All {n} annotators (Fleiss)</source>
        <translation>アノテーター {n} 名全体（Fleiss）</translation>
    </message>
    <message>
        <source>All {n} judges (Fleiss)</source>
        <translation>判定者 {n} 名全体（Fleiss）</translation>
    </message>
    <message>
        <source>Pairs</source>
        <translation>ペア</translation>
    </message>
    <message>
        <source>(unassigned)</source>
        <translation>（未割り当て）</translation>
    </message>
</context>
<context>
    <name>ReviewMenu</name>
    <message>
        <source>My work</source>
        <translation>自分の作業</translation>
    </message>
    <message>
        <source>Items assigned to you, earliest due first</source>
        <translation>自分に割り当てられた項目（期限の早い順）</translation>
    </message>
    <message>
        <source>Awaiting review…</source>
        <translation>レビュー待ち…</translation>
    </message>
    <message>
        <source>Items waiting for review or adjudication</source>
        <translation>レビューまたは裁定を待っている項目</translation>
    </message>
    <message>
        <source>Adjudicate…</source>
        <translation>裁定…</translation>
    </message>
    <message>
        <source>Decide the differences of two annotators</source>
        <translation>2 名のアノテーターの相違点を裁定します</translation>
    </message>
    <message>
        <source>Approve…</source>
        <translation>承認…</translation>
    </message>
    <message>
        <source>Approve the item and sign</source>
        <translation>項目を承認して署名します</translation>
    </message>
    <message>
        <source>Reject…</source>
        <translation>差し戻し…</translation>
    </message>
    <message>
        <source>Reject the item with a reason and sign</source>
        <translation>理由を付けて項目を差し戻し、署名します</translation>
    </message>
    <message>
        <source>Adjudication signed.</source>
        <translation>裁定に署名しました。</translation>
    </message>
    <message>
        <source>Submitted for review.</source>
        <translation>レビューに提出しました。</translation>
    </message>
    <message>
        <source>Item approved.</source>
        <translation>項目を承認しました。</translation>
    </message>
    <message>
        <source>Item rejected.</source>
        <translation>項目を差し戻しました。</translation>
    </message>
    <message>
        <source>verdict {verdict}</source>
        <translation>判定 {verdict}</translation>
    </message>
    <message>
        <source>Open a project first.</source>
        <translation>先にプロジェクトを開いてください。</translation>
    </message>
    <message>
        <source>Awaiting review</source>
        <translation>レビュー待ち</translation>
    </message>
    <message>
        <source>slice {n}</source>
        <translation>スライス {n}</translation>
    </message>
    <message>
        <source>preferred {response}</source>
        <translation>優先 {response}</translation>
    </message>
    <message>
        <source>Submitted; waiting for {users}.</source>
        <translation>提出しました。{users} の提出を待っています。</translation>
    </message>
    <message>
        <source>points {points}</source>
        <translation>点 {points}</translation>
    </message>
</context>
<context>
    <name>ReviewPanel</name>
    <message>
        <source>Title</source>
        <extracomment>What differs between two annotators&apos; records, as the view names it.</extracomment>
        <translation>タイトル</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>種類</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Annotators</source>
        <translation>アノテーター</translation>
    </message>
    <message>
        <source>Agreement</source>
        <translation>一致度</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>期限</translation>
    </message>
    <message>
        <source>Nothing is waiting for your review.</source>
        <translation>レビュー待ちの項目はありません。</translation>
    </message>
    <message>
        <source>Adjudicate</source>
        <translation>裁定</translation>
    </message>
    <message>
        <source>Approve…</source>
        <translation>承認…</translation>
    </message>
    <message>
        <source>Reject…</source>
        <translation>差し戻し…</translation>
    </message>
    <message>
        <source>To adjudicate</source>
        <translation>裁定待ち</translation>
    </message>
    <message>
        <source>only A</source>
        <translation>A のみ</translation>
    </message>
    <message>
        <source>only B</source>
        <translation>B のみ</translation>
    </message>
    <message>
        <source>label</source>
        <translation>ラベル</translation>
    </message>
    <message>
        <source>outline</source>
        <translation>輪郭</translation>
    </message>
    <message>
        <source>points</source>
        <translation>点</translation>
    </message>
    <message>
        <source>offsets</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>attributes</source>
        <translation>属性</translation>
    </message>
    <message>
        <source>code</source>
        <translation>コード</translation>
    </message>
    <message>
        <source>verdict</source>
        <translation>判定</translation>
    </message>
    <message>
        <source>Dice</source>
        <translation>Dice</translation>
    </message>
    <message>
        <source>F1</source>
        <translation>F1</translation>
    </message>
    <message>
        <source>agreement</source>
        <translation>一致度</translation>
    </message>
</context>
<context>
    <name>RoiPanel</name>
    <message>
        <source>Point</source>
        <translation>点</translation>
    </message>
    <message>
        <source>Rectangle</source>
        <translation>矩形</translation>
    </message>
    <message>
        <source>Ellipse</source>
        <translation>楕円</translation>
    </message>
    <message>
        <source>Polygon</source>
        <translation>多角形</translation>
    </message>
    <message>
        <source>Freehand</source>
        <translation>フリーハンド</translation>
    </message>
    <message>
        <source>Ruler</source>
        <translation>距離計測</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>ラベル</translation>
    </message>
    <message>
        <source>Slice</source>
        <translation>スライス</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>種類</translation>
    </message>
    <message>
        <source>Measurements</source>
        <translation>計測値</translation>
    </message>
</context>
<context>
    <name>SeriesWorkspace</name>
    <message>
        <source>Reading DICOM folder</source>
        <translation>DICOM フォルダを読み込んでいます</translation>
    </message>
    <message>
        <source>no mm: the files give no pixel spacing</source>
        <translation>mm なし：ファイルに画素間隔がありません</translation>
    </message>
    <message>
        <source>no mm</source>
        <translation>mm なし</translation>
    </message>
    <message>
        <source>{count} slices</source>
        <translation>{count} スライス</translation>
    </message>
    <message>
        <source>{area}, mean {mean}, SD {sd}, min {min}, max {max}</source>
        <translation>{area}、平均 {mean}、SD {sd}、最小 {min}、最大 {max}</translation>
    </message>
    <message>
        <source>Loading the series...</source>
        <translation>シリーズを読み込んでいます...</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <source>Stop loading the series</source>
        <translation>シリーズの読み込みを中止します</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>再試行</translation>
    </message>
    <message>
        <source>Load the series again</source>
        <translation>シリーズを読み込み直します</translation>
    </message>
    <message>
        <source>Select and edit</source>
        <translation>選択・編集</translation>
    </message>
    <message>
        <source>Point</source>
        <translation>点</translation>
    </message>
    <message>
        <source>Rectangle</source>
        <translation>矩形</translation>
    </message>
    <message>
        <source>Ellipse</source>
        <translation>楕円</translation>
    </message>
    <message>
        <source>Polygon (Enter or double-click closes)</source>
        <translation>多角形（Enter またはダブルクリックで閉じる）</translation>
    </message>
    <message>
        <source>Freehand</source>
        <translation>フリーハンド</translation>
    </message>
    <message>
        <source>Ruler (length in mm)</source>
        <translation>距離計測（長さ mm）</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>ウィンドウ</translation>
    </message>
    <message>
        <source>Window/level presets (Alt+1..Alt+9); right-drag sets the window</source>
        <translation>ウィンドウ/レベルのプリセット（Alt+1～Alt+9）。右ドラッグでウィンドウを調整</translation>
    </message>
    <message>
        <source>Delete ROI</source>
        <translation>ROI を削除</translation>
    </message>
    <message>
        <source>Delete the selected ROI (Del)</source>
        <translation>選択した ROI を削除します（Del）</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>全体表示</translation>
    </message>
    <message>
        <source>Fit the slice to the view (0); +/- or Ctrl+wheel zoom</source>
        <translation>スライスを表示領域に合わせます（0）。+/- または Ctrl+ホイールで拡大縮小</translation>
    </message>
    <message>
        <source>MPR</source>
        <translation>MPR</translation>
    </message>
    <message>
        <source>Axial, coronal, sagittal and 3D, or back to the slices (X)</source>
        <translation>軸位断・冠状断・矢状断と 3D 表示、またはスライス表示に戻る（X）</translation>
    </message>
    <message>
        <source>Loading series</source>
        <translation>シリーズを読み込んでいます</translation>
    </message>
    <message>
        <source>Reason for the change</source>
        <translation>変更の理由</translation>
    </message>
    <message>
        <source>This item was submitted. Why is the ROI deleted?</source>
        <translation>この項目は提出済みです。ROI を削除する理由は？</translation>
    </message>
    <message>
        <source>{length} mm</source>
        <translation>{length} mm</translation>
    </message>
    <message>
        <source>x {x} y {y} z {z} mm</source>
        <translation>x {x} y {y} z {z} mm</translation>
    </message>
    <message>
        <source>{area} mm²</source>
        <translation>{area} mm²</translation>
    </message>
    <message>
        <source>adjudicated by {author}</source>
        <translation>{author} が裁定</translation>
    </message>
    <message>
        <source>Loading was cancelled.</source>
        <translation>読み込みはキャンセルされました。</translation>
    </message>
    <message>
        <source>The series could not be loaded.</source>
        <translation>シリーズを読み込めませんでした。</translation>
    </message>
    <message>
        <source>Edit ROI</source>
        <translation>ROI を編集</translation>
    </message>
    <message>
        <source>Change label</source>
        <translation>ラベルを変更</translation>
    </message>
    <message>
        <source>part</source>
        <translation>部分</translation>
    </message>
    <message>
        <source>Draw {kind}</source>
        <translation>描画：{kind}</translation>
    </message>
    <message>
        <source>Export DICOM SEG…</source>
        <translation>DICOM SEG をエクスポート…</translation>
    </message>
    <message>
        <source>Write the area ROIs as a DICOM SEG file</source>
        <translation>面積 ROI を DICOM SEG ファイルとして書き出します</translation>
    </message>
    <message>
        <source>Export DICOM SR…</source>
        <translation>DICOM SR をエクスポート…</translation>
    </message>
    <message>
        <source>Write the measurements as a DICOM SR file</source>
        <translation>計測結果を DICOM SR ファイルとして書き出します</translation>
    </message>
    <message>
        <source>Export to folder</source>
        <translation>エクスポート先のフォルダを選択</translation>
    </message>
    <message>
        <source>Writing DICOM SEG</source>
        <translation>DICOM SEG を書き出しています</translation>
    </message>
    <message>
        <source>Writing DICOM SR</source>
        <translation>DICOM SR を書き出しています</translation>
    </message>
    <message>
        <source>The file was written to:
{path}</source>
        <translation>ファイルを次の場所に書き出しました：
{path}</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>(action without a name)</source>
        <translation>（名前のない操作）</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>キーボードショートカット</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>キー</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Sign in to HAIOps Workstation</source>
        <translation>HAIOps Workstation にサインイン</translation>
    </message>
    <message>
        <source>Project folder</source>
        <translation>プロジェクトフォルダ</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>参照…</translation>
    </message>
    <message>
        <source>Choose the project folder</source>
        <translation>プロジェクトフォルダを選択</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>サインイン</translation>
    </message>
    <message>
        <source>New project…</source>
        <translation>新規プロジェクト…</translation>
    </message>
    <message>
        <source>Create an encrypted project</source>
        <translation>暗号化されたプロジェクトを作成します</translation>
    </message>
    <message>
        <source>User ID</source>
        <translation>ユーザー ID</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>パスワード</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新しいパスワード</translation>
    </message>
    <message>
        <source>Repeat new password</source>
        <translation>新しいパスワード（確認）</translation>
    </message>
    <message>
        <source>Project created. Sign in with your password.</source>
        <translation>プロジェクトを作成しました。パスワードを入力してサインインしてください。</translation>
    </message>
    <message>
        <source>Enter the project folder and your user ID.</source>
        <translation>プロジェクトフォルダとユーザー ID を入力してください。</translation>
    </message>
    <message>
        <source>The two new passwords differ.</source>
        <translation>2 つの新しいパスワードが一致しません。</translation>
    </message>
</context>
<context>
    <name>SignatureDialog</name>
    <message>
        <source>Sign records</source>
        <translation>記録に署名</translation>
    </message>
    <message>
        <source>Why (needed to reject)</source>
        <translation>理由（差し戻す場合は必須）</translation>
    </message>
    <message>
        <source>Sign</source>
        <translation>署名</translation>
    </message>
    <message>
        <source>Meaning</source>
        <translation>署名の意味</translation>
    </message>
    <message>
        <source>Signer</source>
        <translation>署名者</translation>
    </message>
    <message>
        <source>User ID</source>
        <translation>ユーザー ID</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>パスワード</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>You are signing the current content of: {records}.</source>
        <translation>次の記録の現在の内容に署名します：{records}。</translation>
    </message>
    <message>
        <source>Authored</source>
        <translation>作成</translation>
    </message>
    <message>
        <source>Reviewed</source>
        <translation>レビュー済み</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>承認済み</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>差し戻し</translation>
    </message>
    <message>
        <source>Unlock authorised</source>
        <translation>ロック解除を許可</translation>
    </message>
    <message>
        <source>Enter your user ID and password.</source>
        <translation>ユーザー ID とパスワードを入力してください。</translation>
    </message>
    <message>
        <source>Enter the reason for this signature.</source>
        <translation>この署名の理由を入力してください。</translation>
    </message>
</context>
<context>
    <name>SliceView</name>
    <message>
        <source>Slice (Up/Down, PageUp/PageDown, wheel)</source>
        <translation>スライス（↑/↓、PageUp/PageDown、ホイール）</translation>
    </message>
    <message>
        <source>padding</source>
        <translation>パディング</translation>
    </message>
    <message>
        <source>No patient position in the files</source>
        <translation>ファイルに患者座標の位置情報がありません</translation>
    </message>
    <message>
        <source>Pixel spacing unknown: no mm</source>
        <translation>画素間隔が不明：mm 表示なし</translation>
    </message>
    <message>
        <source>Colour palette in the file not shown</source>
        <translation>ファイル内のカラーパレットは表示していません</translation>
    </message>
    <message>
        <source>VOI LUT of the file</source>
        <translation>ファイルの VOI LUT</translation>
    </message>
    <message>
        <source>File window {n}</source>
        <translation>ファイルのウィンドウ {n}</translation>
    </message>
    <message>
        <source>W {width} L {centre}</source>
        <translation>W {width} L {centre}</translation>
    </message>
    <message>
        <source>x {x} y {y} z {z} mm</source>
        <translation>x {x} y {y} z {z} mm</translation>
    </message>
    <message>
        <source>Uneven spacing {low}-{high} mm</source>
        <translation>不均等なスライス間隔 {low}～{high} mm</translation>
    </message>
    <message>
        <source>Tilt {angle}°</source>
        <translation>傾斜 {angle}°</translation>
    </message>
    <message>
        <source>Slice {n}/{count}</source>
        <translation>スライス {n}/{count}</translation>
    </message>
    <message>
        <source>{position} mm</source>
        <translation>{position} mm</translation>
    </message>
    <message>
        <source>Zoom {percent}%</source>
        <translation>ズーム {percent}%</translation>
    </message>
    <message>
        <source>Brain</source>
        <extracomment>Tool names: &quot;select&quot; plus the ROI kinds.</extracomment>
        <translation>脳</translation>
    </message>
    <message>
        <source>Subdural</source>
        <translation>硬膜下</translation>
    </message>
    <message>
        <source>Lung</source>
        <translation>肺野</translation>
    </message>
    <message>
        <source>Mediastinum</source>
        <translation>縦隔</translation>
    </message>
    <message>
        <source>Bone</source>
        <translation>骨</translation>
    </message>
    <message>
        <source>Abdomen</source>
        <translation>腹部</translation>
    </message>
</context>
<context>
    <name>SpanPanel</name>
    <message>
        <source>Results in death</source>
        <translation>死亡に至るもの</translation>
    </message>
    <message>
        <source>Life-threatening</source>
        <translation>生命を脅かすもの</translation>
    </message>
    <message>
        <source>Hospitalisation or its prolongation</source>
        <translation>入院または入院期間の延長</translation>
    </message>
    <message>
        <source>Disability or incapacity</source>
        <translation>障害または機能不全</translation>
    </message>
    <message>
        <source>Congenital anomaly or birth defect</source>
        <translation>先天異常</translation>
    </message>
    <message>
        <source>Other medically important</source>
        <translation>その他の医学的に重要な状態</translation>
    </message>
    <message>
        <source>Delete span</source>
        <translation>スパンを削除</translation>
    </message>
    <message>
        <source>Delete the selected span (Del)</source>
        <translation>選択したスパンを削除します（Del）</translation>
    </message>
    <message>
        <source>Relations</source>
        <translation>関係</translation>
    </message>
    <message>
        <source>Delete relation</source>
        <translation>関係を削除</translation>
    </message>
    <message>
        <source>Delete the selected relation</source>
        <translation>選択した関係を削除します</translation>
    </message>
    <message>
        <source>Attributes</source>
        <translation>属性</translation>
    </message>
    <message>
        <source>Negated (N)</source>
        <translation>否定（N）</translation>
    </message>
    <message>
        <source>The text says the event did not occur (N)</source>
        <translation>本文で事象が起きなかったと述べられています（N）</translation>
    </message>
    <message>
        <source>Hypothetical (H)</source>
        <translation>仮定（H）</translation>
    </message>
    <message>
        <source>The event is possible or conditional, not reported (H)</source>
        <translation>事象は可能性・条件付きの記述で、報告されたものではありません（H）</translation>
    </message>
    <message>
        <source>Not stated</source>
        <translation>記載なし</translation>
    </message>
    <message>
        <source>Severity as the text states it</source>
        <translation>本文に記載された重症度</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>重症度</translation>
    </message>
    <message>
        <source>Code...</source>
        <translation>コード...</translation>
    </message>
    <message>
        <source>Search MedDRA for the span&apos;s code (C)</source>
        <translation>スパンのコードを MedDRA で検索します（C）</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>コード</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>ラベル</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>テキスト</translation>
    </message>
    <message>
        <source>Page</source>
        <translation>ページ</translation>
    </message>
    <message>
        <source>From</source>
        <translation>関連元</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>種類</translation>
    </message>
    <message>
        <source>To</source>
        <translation>関連先</translation>
    </message>
    <message>
        <source>Mild</source>
        <translation>軽度</translation>
    </message>
    <message>
        <source>Moderate</source>
        <translation>中等度</translation>
    </message>
    <message>
        <source>Severe</source>
        <translation>重度</translation>
    </message>
    <message>
        <source>negated</source>
        <translation>否定</translation>
    </message>
    <message>
        <source>hypothetical</source>
        <translation>仮定</translation>
    </message>
</context>
<context>
    <name>SyncMenu</name>
    <message>
        <source>Sync: not enrolled</source>
        <translation>同期：未登録</translation>
    </message>
    <message>
        <source>Never synced</source>
        <translation>未同期</translation>
    </message>
    <message>
        <source>Last sync {time}</source>
        <translation>前回の同期 {time}</translation>
    </message>
    <message>
        <source>roster expired: pull</source>
        <translation>名簿の期限切れ：プルしてください</translation>
    </message>
    <message>
        <source>1 bundle waiting to be sent</source>
        <translation>送信待ちのバンドル 1 件</translation>
    </message>
    <message>
        <source>{n} change not sent</source>
        <translation>未送信の変更 {n} 件</translation>
    </message>
    <message>
        <source>{n} changes not sent</source>
        <translation>未送信の変更 {n} 件</translation>
    </message>
    <message>
        <source>{n} bundle held</source>
        <translation>保留中のバンドル {n} 件</translation>
    </message>
    <message>
        <source>{n} bundles held</source>
        <translation>保留中のバンドル {n} 件</translation>
    </message>
    <message>
        <source>{n} conflict</source>
        <translation>競合 {n} 件</translation>
    </message>
    <message>
        <source>{n} conflicts</source>
        <translation>競合 {n} 件</translation>
    </message>
    <message>
        <source>Import enrolment package</source>
        <translation>登録パッケージの読み込み</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>すべてのファイル (*)</translation>
    </message>
    <message>
        <source>This workstation is enrolled with site {site}.</source>
        <translation>このワークステーションは施設 {site} に登録されました。</translation>
    </message>
    <message>
        <source>Sync now…</source>
        <translation>今すぐ同期…</translation>
    </message>
    <message>
        <source>Pull from the store, then push</source>
        <translation>ストアからプルしてからプッシュします</translation>
    </message>
    <message>
        <source>Push</source>
        <translation>プッシュ</translation>
    </message>
    <message>
        <source>Send the changes made here to the store</source>
        <translation>この端末での変更をストアに送信します</translation>
    </message>
    <message>
        <source>Pull</source>
        <translation>プル</translation>
    </message>
    <message>
        <source>Apply the bundles the store accepted</source>
        <translation>ストアが受け付けたバンドルを反映します</translation>
    </message>
    <message>
        <source>Conflicts…</source>
        <translation>競合…</translation>
    </message>
    <message>
        <source>Compare and resolve records in conflict</source>
        <translation>競合している記録を比較して解決します</translation>
    </message>
    <message>
        <source>Enrol this workstation…</source>
        <translation>このワークステーションを登録…</translation>
    </message>
    <message>
        <source>Import the enrolment package</source>
        <translation>登録パッケージを読み込みます</translation>
    </message>
</context>
<context>
    <name>SyncWindow</name>
    <message>
        <source>(text kept at its site)</source>
        <translation>（本文は元の施設に保管）</translation>
    </message>
    <message>
        <source>{n} version</source>
        <translation>{n} バージョン</translation>
    </message>
    <message>
        <source>{n} versions</source>
        <translation>{n} バージョン</translation>
    </message>
    <message>
        <source>reading the roster</source>
        <translation>名簿を読み込み中</translation>
    </message>
    <message>
        <source>bundle built and signed</source>
        <translation>バンドルを作成して署名しました</translation>
    </message>
    <message>
        <source>bundle kept for sending</source>
        <translation>送信用にバンドルを保管しました</translation>
    </message>
    <message>
        <source>bundle sent to the store</source>
        <translation>バンドルをストアに送信しました</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>送信済み</translation>
    </message>
    <message>
        <source>bundle applied</source>
        <translation>バンドルを反映しました</translation>
    </message>
    <message>
        <source>it does not decrypt</source>
        <translation>復号できません</translation>
    </message>
    <message>
        <source>it is not a readable bundle</source>
        <translation>読み取れるバンドルではありません</translation>
    </message>
    <message>
        <source>it was made for another site</source>
        <translation>別の施設向けに作成されたものです</translation>
    </message>
    <message>
        <source>a signature does not match</source>
        <translation>署名が一致しません</translation>
    </message>
    <message>
        <source>the signer is not enrolled</source>
        <translation>署名者が登録されていません</translation>
    </message>
    <message>
        <source>the signer&apos;s key was revoked</source>
        <translation>署名者の鍵は失効しています</translation>
    </message>
    <message>
        <source>a file was changed</source>
        <translation>ファイルが変更されています</translation>
    </message>
    <message>
        <source>an older bundle presented as new</source>
        <translation>古いバンドルが新しいものとして提示されました</translation>
    </message>
    <message>
        <source>a second bundle for the same number</source>
        <translation>同じ番号のバンドルが 2 つあります</translation>
    </message>
    <message>
        <source>the roster is missing or expired</source>
        <translation>名簿がないか、期限切れです</translation>
    </message>
    <message>
        <source>its audit checkpoint does not verify</source>
        <translation>監査チェックポイントを検証できません</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>同期</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>競合</translation>
    </message>
    <message>
        <source>Store folder (share or USB drive) or PostgreSQL address</source>
        <translation>ストアのフォルダ（共有フォルダまたは USB ドライブ）または PostgreSQL のアドレス</translation>
    </message>
    <message>
        <source>Choose folder…</source>
        <translation>フォルダを選択…</translation>
    </message>
    <message>
        <source>Save enrolment request…</source>
        <translation>登録申請を保存…</translation>
    </message>
    <message>
        <source>Import enrolment package…</source>
        <translation>登録パッケージを読み込む…</translation>
    </message>
    <message>
        <source>Store</source>
        <translation>ストア</translation>
    </message>
    <message>
        <source>Enrolment</source>
        <translation>登録</translation>
    </message>
    <message>
        <source>Device key</source>
        <translation>端末鍵</translation>
    </message>
    <message>
        <source>Last sync</source>
        <translation>前回の同期</translation>
    </message>
    <message>
        <source>Outgoing</source>
        <translation>送信待ち</translation>
    </message>
    <message>
        <source>Incoming</source>
        <translation>受信</translation>
    </message>
    <message>
        <source>Roster</source>
        <translation>名簿</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>今すぐ同期</translation>
    </message>
    <message>
        <source>Pull, then push</source>
        <translation>プルしてからプッシュ</translation>
    </message>
    <message>
        <source>Push</source>
        <translation>プッシュ</translation>
    </message>
    <message>
        <source>Send the changes made here</source>
        <translation>この端末での変更を送信します</translation>
    </message>
    <message>
        <source>Pull</source>
        <translation>プル</translation>
    </message>
    <message>
        <source>Apply the bundles the store accepted</source>
        <translation>ストアが受け付けたバンドルを反映します</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <source>Stop after the current step</source>
        <translation>現在の手順が終わったら停止します</translation>
    </message>
    <message>
        <source>Results of push and pull</source>
        <translation>プッシュとプルの結果</translation>
    </message>
    <message>
        <source>Withhold this revision…</source>
        <translation>このリビジョンの送信を保留…</translation>
    </message>
    <message>
        <source>Keep the refused revision on this workstation; bundles carry a stub without its content</source>
        <translation>拒否されたリビジョンをこのワークステーションに残します。バンドルには内容を含まない控えだけが入ります</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>なし</translation>
    </message>
    <message>
        <source>Conflicts ({n})</source>
        <translation>競合（{n}）</translation>
    </message>
    <message>
        <source>Not enrolled: save the enrolment request, give it to your site lead, then import the package you get back.</source>
        <translation>未登録です。登録申請を保存してサイト責任者に渡し、返ってきたパッケージを読み込んでください。</translation>
    </message>
    <message>
        <source>None</source>
        <translation>なし</translation>
    </message>
    <message>
        <source>Enrolled with site {site}</source>
        <translation>施設 {site} に登録済み</translation>
    </message>
    <message>
        <source>Version {version}, expires {expires}</source>
        <translation>バージョン {version}、有効期限 {expires}</translation>
    </message>
    <message>
        <source>(expired: pull before pushing)</source>
        <translation>（期限切れ：プッシュの前にプルしてください）</translation>
    </message>
    <message>
        <source>{n} change not sent</source>
        <translation>未送信の変更 {n} 件</translation>
    </message>
    <message>
        <source>{n} changes not sent</source>
        <translation>未送信の変更 {n} 件</translation>
    </message>
    <message>
        <source>bundle {n} built, waiting to be sent</source>
        <translation>バンドル {n} を作成済み、送信待ち</translation>
    </message>
    <message>
        <source>No bundles held</source>
        <translation>保留中のバンドルはありません</translation>
    </message>
    <message>
        <source>{n} bundle held</source>
        <translation>保留中のバンドル {n} 件</translation>
    </message>
    <message>
        <source>{n} bundles held</source>
        <translation>保留中のバンドル {n} 件</translation>
    </message>
    <message>
        <source>waiting for bundle {missing} from device {device}</source>
        <translation>端末 {device} からのバンドル {missing} を待っています</translation>
    </message>
    <message>
        <source>{n} record in conflict</source>
        <translation>競合中の記録 {n} 件</translation>
    </message>
    <message>
        <source>{n} records in conflict</source>
        <translation>競合中の記録 {n} 件</translation>
    </message>
    <message>
        <source>(a site lead resolves them)</source>
        <translation>（サイト責任者が解決します）</translation>
    </message>
    <message>
        <source>push</source>
        <translation>プッシュ</translation>
    </message>
    <message>
        <source>pull</source>
        <translation>プル</translation>
    </message>
    <message>
        <source>pull and push</source>
        <translation>プルとプッシュ</translation>
    </message>
    <message>
        <source>Choose the store folder</source>
        <translation>ストアのフォルダを選択</translation>
    </message>
    <message>
        <source>Save enrolment request</source>
        <translation>登録申請の保存</translation>
    </message>
    <message>
        <source>Enrolment request (*.json)</source>
        <translation>登録申請 (*.json)</translation>
    </message>
    <message>
        <source>Enrolment request saved to {path}; give it to your site lead.</source>
        <translation>登録申請を {path} に保存しました。サイト責任者に渡してください。</translation>
    </message>
    <message>
        <source>Import enrolment package</source>
        <translation>登録パッケージの読み込み</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>すべてのファイル (*)</translation>
    </message>
    <message>
        <source>Enrolled with site {site} (roster version {version}).</source>
        <translation>施設 {site} に登録しました（名簿バージョン {version}）。</translation>
    </message>
    <message>
        <source>Choose the store folder first.</source>
        <translation>先にストアのフォルダを選んでください。</translation>
    </message>
    <message>
        <source>Pushing to the store</source>
        <translation>ストアへプッシュしています</translation>
    </message>
    <message>
        <source>Pulling from the store</source>
        <translation>ストアからプルしています</translation>
    </message>
    <message>
        <source>Syncing with the store</source>
        <translation>ストアと同期しています</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>停止しています…</translation>
    </message>
    <message>
        <source>{n} record is in conflict: a site lead resolves it.</source>
        <translation>{n} 件の記録が競合しています。サイト責任者が解決します。</translation>
    </message>
    <message>
        <source>{n} records are in conflict: a site lead resolves them.</source>
        <translation>{n} 件の記録が競合しています。サイト責任者が解決します。</translation>
    </message>
    <message>
        <source>Cancelled. What was sent or applied before stays; the rest goes with the next sync.</source>
        <translation>キャンセルしました。それまでに送信・反映した分はそのまま残り、残りは次回の同期で処理されます。</translation>
    </message>
    <message>
        <source>Revision {revision} withheld: bundles carry it without its content. Push again to send the rest.</source>
        <translation>リビジョン {revision} の送信を保留しました。バンドルには内容を含めずに入ります。残りを送るにはもう一度プッシュしてください。</translation>
    </message>
    <message>
        <source>Nothing to push.</source>
        <translation>プッシュする変更はありません。</translation>
    </message>
    <message>
        <source>{n} record</source>
        <translation>記録 {n} 件</translation>
    </message>
    <message>
        <source>{n} records</source>
        <translation>記録 {n} 件</translation>
    </message>
    <message>
        <source>Pushed bundle {sequence} ({records}).</source>
        <translation>バンドル {sequence} をプッシュしました（{records}）。</translation>
    </message>
    <message>
        <source>{n} bundle</source>
        <translation>バンドル {n} 件</translation>
    </message>
    <message>
        <source>{n} bundles</source>
        <translation>バンドル {n} 件</translation>
    </message>
    <message>
        <source>{n} new record</source>
        <translation>新しい記録 {n} 件</translation>
    </message>
    <message>
        <source>{n} new records</source>
        <translation>新しい記録 {n} 件</translation>
    </message>
    <message>
        <source>Applied {bundles} ({records}).</source>
        <translation>{bundles} を反映しました（{records}）。</translation>
    </message>
    <message>
        <source>{n} bundle was already applied.</source>
        <translation>{n} 件のバンドルはすでに反映済みでした。</translation>
    </message>
    <message>
        <source>{n} bundles were already applied.</source>
        <translation>{n} 件のバンドルはすでに反映済みでした。</translation>
    </message>
    <message>
        <source>Held: waiting for bundle {missing} from device {device}.</source>
        <translation>保留中：端末 {device} からのバンドル {missing} を待っています。</translation>
    </message>
    <message>
        <source>Refused bundle {bundle}: {reason}. Show it to your site lead.</source>
        <translation>バンドル {bundle} を拒否しました：{reason}。サイト責任者に見せてください。</translation>
    </message>
</context>
<context>
    <name>TaskStatusWidget</name>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <source>Stop the background work</source>
        <translation>バックグラウンド処理を中止します</translation>
    </message>
</context>
<context>
    <name>VolumeView</name>
    <message>
        <source>3D: A/P/L/R/S/I view from that side; drag turns, wheel zooms</source>
        <translation>3D：A/P/L/R/S/I でその方向から表示。ドラッグで回転、ホイールで拡大縮小</translation>
    </message>
</context>
<context>
    <name>WithholdDialog</name>
    <message>
        <source>Withhold this revision</source>
        <translation>このリビジョンの送信を保留</translation>
    </message>
    <message>
        <source>Revision {revision} ({field}) will stay on this workstation. Bundles carry it as a stub: its IDs, author, time and a SHA-256 of its content, but not the content. Revise the record first so that its current state can travel.</source>
        <translation>リビジョン {revision}（{field}）はこのワークステーションに残ります。バンドルには控えとして、ID、作成者、日時、内容の SHA-256 だけが入り、内容は含まれません。現在の状態を送れるよう、先に記録を修正してください。</translation>
    </message>
    <message>
        <source>Why it is withheld (required; it stays here)</source>
        <translation>保留する理由（必須。この端末に残ります）</translation>
    </message>
    <message>
        <source>Withhold</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
</context>
<context>
    <name>Worklist</name>
    <message>
        <source>Not started</source>
        <translation>未着手</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>作業中</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>提出済み</translation>
    </message>
    <message>
        <source>Reviewed</source>
        <translation>レビュー済み</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>承認済み</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>差し戻し</translation>
    </message>
    <message>
        <source>Locked</source>
        <translation>ロック済み</translation>
    </message>
    <message>
        <source>Series</source>
        <translation>シリーズ</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>文書</translation>
    </message>
    <message>
        <source>Pair</source>
        <translation>ペア</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>種類</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>タイトル</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>担当者</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>期限</translation>
    </message>
</context>
<context>
    <name>WorklistPanel</name>
    <message>
        <source>Filter items</source>
        <translation>項目を絞り込む</translation>
    </message>
    <message>
        <source>Show only items whose text contains this</source>
        <translation>この文字列を含む項目だけを表示します</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>すべての状態</translation>
    </message>
    <message>
        <source>Show only items with this status</source>
        <translation>この状態の項目だけを表示します</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <source>No password was given for {path}.</source>
        <translation>{path} のパスワードが指定されていません。</translation>
    </message>
    <message>
        <source>Give the password on standard input with --password-stdin.</source>
        <translation>--password-stdin を付けて、パスワードを標準入力から渡してください。</translation>
    </message>
    <message>
        <source>The demo image {path} is not installed.</source>
        <translation>デモ用画像 {path} がインストールされていません。</translation>
    </message>
    <message>
        <source>Install the packages pydicom and pydicom-data, then try again.</source>
        <translation>pydicom と pydicom-data パッケージをインストールしてから、もう一度お試しください。</translation>
    </message>
    <message>
        <source>The export to {path} cannot be written.</source>
        <translation>{path} へのエクスポートを書き込めません。</translation>
    </message>
    <message>
        <source>Nothing was written. Check the folder and the annotations named.</source>
        <translation>何も書き込まれていません。フォルダと、示されたアノテーションを確認してください。</translation>
    </message>
    <message>
        <source>The file {path} cannot be imported (line {line}).</source>
        <translation>ファイル {path} を取り込めません（{line} 行目）。</translation>
    </message>
    <message>
        <source>Nothing from it was imported. Check that the file is complete.</source>
        <translation>このファイルからは何も取り込まれていません。ファイルが欠けていないか確認してください。</translation>
    </message>
    <message>
        <source>The preference pairs in {path} cannot be used.</source>
        <translation>{path} の選好ペアは使用できません。</translation>
    </message>
    <message>
        <source>Check the file against the supported JSONL shapes and try again.</source>
        <translation>対応している JSONL の形式に合っているか確認して、もう一度お試しください。</translation>
    </message>
    <message>
        <source>Line {line} of {path} is not a preference pair: {problem}</source>
        <translation>{path} の {line} 行目は選好ペアではありません：{problem}</translation>
    </message>
    <message>
        <source>The other lines were imported. Fix the line and import it again.</source>
        <translation>ほかの行は取り込まれました。この行を修正して、もう一度取り込んでください。</translation>
    </message>
    <message>
        <source>{path} holds no preference pair to import.</source>
        <translation>{path} には取り込める選好ペアがありません。</translation>
    </message>
    <message>
        <source>Choose a JSONL file with one pair or response set per line.</source>
        <translation>1 行に 1 つのペアまたは応答セットを含む JSONL ファイルを選んでください。</translation>
    </message>
    <message>
        <source>The pairs in {path} were already imported into this project.</source>
        <translation>{path} のペアは、このプロジェクトにすでに取り込まれています。</translation>
    </message>
    <message>
        <source>Nothing was imported twice. Open the existing pairs in the worklist.</source>
        <translation>二重には取り込まれていません。ワークリストから既存のペアを開いてください。</translation>
    </message>
    <message>
        <source>The judgement cannot be saved: {problem}</source>
        <translation>判定を保存できません：{problem}</translation>
    </message>
    <message>
        <source>Complete the judgement and save it again. Nothing was saved.</source>
        <translation>判定を完成させてから、もう一度保存してください。何も保存されていません。</translation>
    </message>
    <message>
        <source>A rationale is required when {problem}.</source>
        <translation>{problem} の場合は判断理由の入力が必要です。</translation>
    </message>
    <message>
        <source>Write why in the rationale box (key E) and save again.</source>
        <translation>判断理由の欄（キー E）に理由を書いて、もう一度保存してください。</translation>
    </message>
    <message>
        <source>The preference export to {path} failed.</source>
        <translation>{path} への選好データのエクスポートに失敗しました。</translation>
    </message>
    <message>
        <source>Check that the folder exists and can be written, then export again.</source>
        <translation>フォルダが存在し書き込み可能であることを確認して、もう一度エクスポートしてください。</translation>
    </message>
    <message>
        <source>The file {path} of this series is missing (moved or deleted).</source>
        <extracomment>Statuses after which deleting an ROI needs a reason (21 CFR 11.10(e)).</extracomment>
        <translation>このシリーズのファイル {path} が見つかりません（移動または削除されています）。</translation>
    </message>
    <message>
        <source>Put the file back where it was, or add the series again.</source>
        <translation>ファイルを元の場所に戻すか、シリーズを追加し直してください。</translation>
    </message>
    <message>
        <source>The file {path} of this series has changed since it was added.</source>
        <translation>このシリーズのファイル {path} は、追加した後に変更されています。</translation>
    </message>
    <message>
        <source>ROIs may no longer match the pixels. Restore the original file or add the series again.</source>
        <translation>ROI が画素と一致しなくなっている可能性があります。元のファイルを戻すか、シリーズを追加し直してください。</translation>
    </message>
    <message>
        <source>The files of series {uid} were not found.</source>
        <translation>シリーズ {uid} のファイルが見つかりません。</translation>
    </message>
    <message>
        <source>Check the folder the series was added from.</source>
        <translation>シリーズを追加したときのフォルダを確認してください。</translation>
    </message>
    <message>
        <source>{count} files in {path} were not added: {first}: {reason}</source>
        <translation>{path} の {count} 個のファイルは追加されませんでした：{first}：{reason}</translation>
    </message>
    <message>
        <source>The other series were added. The reason for each file is in the log.</source>
        <translation>ほかのシリーズは追加されました。各ファイルの理由はログに記録されています。</translation>
    </message>
    <message>
        <source>The terminology {path} cannot be used.</source>
        <translation>用語集 {path} は使用できません。</translation>
    </message>
    <message>
        <source>Check that the folder holds a complete release of the terminology.</source>
        <translation>フォルダに用語集のリリース一式がそろっているか確認してください。</translation>
    </message>
    <message>
        <source>The terminology file {path} cannot be read (line {line}).</source>
        <translation>用語集ファイル {path} を読み込めません（{line} 行目）。</translation>
    </message>
    <message>
        <source>Copy the release again from its original distribution. Nothing was loaded.</source>
        <translation>元の配布物からリリースをコピーし直してください。何も読み込まれていません。</translation>
    </message>
    <message>
        <source>The version of the terminology in {path} is not known.</source>
        <translation>{path} の用語集のバージョンが不明です。</translation>
    </message>
    <message>
        <source>Give the version of the release (for example 27.0) when loading it.</source>
        <translation>読み込むときにリリースのバージョン（例：27.0）を指定してください。</translation>
    </message>
    <message>
        <source>The code {code} is not in {system} version {version}.</source>
        <translation>コード {code} は {system} バージョン {version} にありません。</translation>
    </message>
    <message>
        <source>Search for the term again and choose one of the results.</source>
        <translation>用語を検索し直し、結果の中から選んでください。</translation>
    </message>
    <message>
        <source>The term {term} ({code}) is no longer current in {system} version {version}.</source>
        <translation>用語 {term}（{code}）は {system} バージョン {version} では現行ではありません。</translation>
    </message>
    <message>
        <source>Choose a current term; the search shows which terms are current.</source>
        <translation>現行の用語を選んでください。検索結果にどの用語が現行かが表示されます。</translation>
    </message>
    <message>
        <source>The project holds no {system} terminology.</source>
        <translation>このプロジェクトには {system} の用語集がありません。</translation>
    </message>
    <message>
        <source>Load the terminology from its release folder first.</source>
        <translation>先にリリースフォルダから用語集を読み込んでください。</translation>
    </message>
    <message>
        <source>The document {path} was not found.</source>
        <translation>文書 {path} が見つかりません。</translation>
    </message>
    <message>
        <source>Check that the file still exists and that you may read it.</source>
        <translation>ファイルがまだ存在し、読み取り権限があるか確認してください。</translation>
    </message>
    <message>
        <source>The PDF {path} is damaged or not a PDF.</source>
        <translation>PDF {path} は破損しているか、PDF ではありません。</translation>
    </message>
    <message>
        <source>Open it in a PDF reader to check it, or ask for a new copy.</source>
        <translation>PDF リーダーで開いて確認するか、新しいコピーを依頼してください。</translation>
    </message>
    <message>
        <source>The PDF {path} is protected by a password.</source>
        <translation>PDF {path} はパスワードで保護されています。</translation>
    </message>
    <message>
        <source>Save an unprotected copy of the PDF and import that copy.</source>
        <translation>保護を解除した PDF のコピーを保存し、そのコピーを取り込んでください。</translation>
    </message>
    <message>
        <source>The text file {path} is not UTF-8, UTF-16 with a byte order mark or Shift_JIS (CP932) (first bad byte at {position}).</source>
        <translation>テキストファイル {path} は UTF-8、BOM 付き UTF-16、Shift_JIS（CP932）のいずれでもありません（最初の不正なバイトの位置：{position}）。</translation>
    </message>
    <message>
        <source>Save the file as UTF-8 in a text editor and import it again.</source>
        <translation>テキストエディタで UTF-8 として保存し、もう一度取り込んでください。</translation>
    </message>
    <message>
        <source>The document {path} has changed since it was imported (SHA-256 {found}, imported {expected}).</source>
        <translation>文書 {path} は取り込み後に変更されています（SHA-256 {found}、取り込み時 {expected}）。</translation>
    </message>
    <message>
        <source>Restore the imported file, or import the new file as a new document. The spans were not moved.</source>
        <translation>取り込んだときのファイルを戻すか、新しいファイルを別の文書として取り込んでください。スパンは移動していません。</translation>
    </message>
    <message>
        <source>Page {page} of {path} now reads differently from the text stored at import (PyMuPDF {found}, imported with {expected}).</source>
        <translation>{path} の {page} ページの読み取り結果が、取り込み時に保存したテキストと異なります（PyMuPDF {found}、取り込み時 {expected}）。</translation>
    </message>
    <message>
        <source>The spans and their text are unchanged; only their boxes on this page cannot be shown. Use the PyMuPDF version named at import.</source>
        <translation>スパンとそのテキストは変わっていません。このページ上の枠だけが表示できません。取り込み時に記録された PyMuPDF のバージョンを使用してください。</translation>
    </message>
    <message>
        <source>The document {path} has no page {page} (it has {count}).</source>
        <translation>文書 {path} に {page} ページはありません（全 {count} ページ）。</translation>
    </message>
    <message>
        <source>Pages are counted from 1 on the screen.</source>
        <translation>画面上のページ番号は 1 から数えます。</translation>
    </message>
    <message>
        <source>The extraction setting {setting} for {path} is not valid.</source>
        <translation>{path} の抽出設定 {setting} は無効です。</translation>
    </message>
    <message>
        <source>Correct or remove the setting and try again.</source>
        <translation>設定を修正または削除して、もう一度お試しください。</translation>
    </message>
    <message>
        <source>Page {page} of {path} has no text layer and Tesseract with the languages {languages} is not available.</source>
        <translation>{path} の {page} ページにはテキスト層がなく、言語 {languages} に対応した Tesseract も利用できません。</translation>
    </message>
    <message>
        <source>Install Tesseract with its English and Japanese data, or import a PDF with a text layer.</source>
        <translation>英語と日本語のデータ付きで Tesseract をインストールするか、テキスト層のある PDF を取り込んでください。</translation>
    </message>
    <message>
        <source>{path} cannot be opened as DICOM images.</source>
        <translation>{path} を DICOM 画像として開けません。</translation>
    </message>
    <message>
        <source>Choose a folder of DICOM files, a DICOMDIR or DICOM files.</source>
        <translation>DICOM ファイルのフォルダ、DICOMDIR、または DICOM ファイルを選んでください。</translation>
    </message>
    <message>
        <source>No slice of the series {uid} could be read (first file {path}).</source>
        <translation>シリーズ {uid} のスライスを 1 枚も読み込めませんでした（最初のファイル：{path}）。</translation>
    </message>
    <message>
        <source>The reason for each file is listed; check the files or re-export.</source>
        <translation>ファイルごとの理由が一覧に示されています。ファイルを確認するか、エクスポートし直してください。</translation>
    </message>
    <message>
        <source>The pixels of {path} cannot be decoded.</source>
        <translation>{path} の画素データをデコードできません。</translation>
    </message>
    <message>
        <source>The {kind} ROI cannot be measured.</source>
        <translation>{kind} の ROI は計測できません。</translation>
    </message>
    <message>
        <source>Draw the ROI again on a slice of the open series.</source>
        <translation>開いているシリーズのスライス上で ROI を描き直してください。</translation>
    </message>
    <message>
        <source>Something went wrong.</source>
        <translation>問題が発生しました。</translation>
    </message>
    <message>
        <source>Details are in the log. Nothing that was saved has been lost.</source>
        <translation>詳細はログに記録されています。保存済みのデータは失われていません。</translation>
    </message>
    <message>
        <source>{path} is not a HAIOps project.</source>
        <translation>{path} は HAIOps のプロジェクトではありません。</translation>
    </message>
    <message>
        <source>Choose the project folder that holds project.db and project.key.</source>
        <translation>project.db と project.key があるプロジェクトフォルダを選んでください。</translation>
    </message>
    <message>
        <source>A project already exists at {path}.</source>
        <translation>{path} にはすでにプロジェクトがあります。</translation>
    </message>
    <message>
        <source>Choose an empty folder for the new project.</source>
        <translation>新しいプロジェクトには空のフォルダを選んでください。</translation>
    </message>
    <message>
        <source>The user ID or password is not correct for {path}.</source>
        <translation>{path} のユーザー ID またはパスワードが正しくありません。</translation>
    </message>
    <message>
        <source>Check the user ID and password and try again. Nothing was changed.</source>
        <translation>ユーザー ID とパスワードを確認して、もう一度お試しください。何も変更されていません。</translation>
    </message>
    <message>
        <source>The key file {path} cannot be read.</source>
        <translation>鍵ファイル {path} を読み込めません。</translation>
    </message>
    <message>
        <source>Restore the key file from a backup. The database was not touched.</source>
        <translation>バックアップから鍵ファイルを復元してください。データベースには手を加えていません。</translation>
    </message>
    <message>
        <source>The project database {path} is damaged.</source>
        <translation>プロジェクトのデータベース {path} が破損しています。</translation>
    </message>
    <message>
        <source>Restore the project from its last backup. Nothing was overwritten.</source>
        <translation>最新のバックアップからプロジェクトを復元してください。何も上書きされていません。</translation>
    </message>
    <message>
        <source>The project {path} was saved by a newer HAIOps Workstation (schema {found}, this version reads up to {supported}).</source>
        <translation>プロジェクト {path} は新しいバージョンの HAIOps Workstation で保存されています（スキーマ {found}、このバージョンで読めるのは {supported} まで）。</translation>
    </message>
    <message>
        <source>Update the workstation to open this project.</source>
        <translation>このプロジェクトを開くには、ワークステーションを更新してください。</translation>
    </message>
    <message>
        <source>The change to {record} cannot be saved.</source>
        <translation>{record} への変更を保存できません。</translation>
    </message>
    <message>
        <source>{user} is not allowed to {action} in this project.</source>
        <translation>{user} には、このプロジェクトで {action} を行う権限がありません。</translation>
    </message>
    <message>
        <source>Ask a site lead or an admin for the role.</source>
        <translation>サイト責任者または管理者にロールの付与を依頼してください。</translation>
    </message>
    <message>
        <source>The DICOM file {path} cannot be used.</source>
        <translation>DICOM ファイル {path} は使用できません。</translation>
    </message>
    <message>
        <source>The other files of the series were still read where possible.</source>
        <translation>シリーズのほかのファイルは、可能な範囲で読み込まれています。</translation>
    </message>
    <message>
        <source>The document {path} cannot be opened.</source>
        <translation>文書 {path} を開けません。</translation>
    </message>
    <message>
        <source>Check that the file is a PDF or a text file.</source>
        <translation>ファイルが PDF またはテキストファイルであるか確認してください。</translation>
    </message>
    <message>
        <source>The bundle {path} was refused.</source>
        <translation>バンドル {path} は拒否されました。</translation>
    </message>
    <message>
        <source>Nothing from it was applied. Show the reason to your site lead.</source>
        <translation>内容は何も反映されていません。理由をサイト責任者に伝えてください。</translation>
    </message>
    <message>
        <source>{path} cannot be used.</source>
        <translation>{path} は使用できません。</translation>
    </message>
    <message>
        <source>The account {user} is locked after too many failed sign-ins.</source>
        <translation>サインインの失敗が多すぎたため、アカウント {user} はロックされています。</translation>
    </message>
    <message>
        <source>An admin and a site lead can reset the password together. Nothing was changed.</source>
        <translation>管理者とサイト責任者が共同でパスワードをリセットできます。何も変更されていません。</translation>
    </message>
    <message>
        <source>The account {user} is deactivated.</source>
        <translation>アカウント {user} は無効化されています。</translation>
    </message>
    <message>
        <source>Ask an admin. User IDs are never reused. Nothing was changed.</source>
        <translation>管理者に問い合わせてください。ユーザー ID は再利用されません。何も変更されていません。</translation>
    </message>
    <message>
        <source>{user} must choose a new password.</source>
        <translation>{user} は新しいパスワードを設定する必要があります。</translation>
    </message>
    <message>
        <source>Sign in with the temporary password and a new password.</source>
        <translation>仮パスワードと新しいパスワードでサインインしてください。</translation>
    </message>
    <message>
        <source>The new password does not meet the site&apos;s rules: {problems}.</source>
        <translation>新しいパスワードが施設の規則を満たしていません：{problems}。</translation>
    </message>
    <message>
        <source>Choose a longer password that is not a common one.</source>
        <translation>よく使われるものではない、より長いパスワードを選んでください。</translation>
    </message>
    <message>
        <source>The session of {user} has expired.</source>
        <translation>{user} のセッションの有効期限が切れました。</translation>
    </message>
    <message>
        <source>Enter your user ID and password again. Nothing was changed.</source>
        <translation>ユーザー ID とパスワードをもう一度入力してください。何も変更されていません。</translation>
    </message>
    <message>
        <source>{record} cannot be changed: {problem}.</source>
        <translation>{record} は変更できません：{problem}。</translation>
    </message>
    <message>
        <source>Nothing was changed. Ask a reviewer or site lead if needed.</source>
        <translation>何も変更されていません。必要に応じてレビュー担当者またはサイト責任者に相談してください。</translation>
    </message>
    <message>
        <source>The signature cannot be made: {problem}.</source>
        <translation>署名できません：{problem}。</translation>
    </message>
    <message>
        <source>Nothing was signed.</source>
        <translation>何も署名されていません。</translation>
    </message>
    <message>
        <source>The checkpoint {path} cannot be used.</source>
        <translation>チェックポイント {path} は使用できません。</translation>
    </message>
    <message>
        <source>Use the checkpoint file written with the export or backup.</source>
        <translation>エクスポートまたはバックアップの際に書き出されたチェックポイントファイルを使用してください。</translation>
    </message>
    <message>
        <source>The backup {path} cannot be used.</source>
        <translation>バックアップ {path} は使用できません。</translation>
    </message>
    <message>
        <source>Nothing was replaced. Try another backup or ask the site lead.</source>
        <translation>何も置き換えられていません。別のバックアップを試すか、サイト責任者に相談してください。</translation>
    </message>
    <message>
        <source>The label set {path} is not valid.</source>
        <translation>ラベルセット {path} は無効です。</translation>
    </message>
    <message>
        <source>Each label needs a unique name, a colour like #ff8800 and a key.</source>
        <translation>各ラベルには、重複しない名前、#ff8800 のような色、キーが必要です。</translation>
    </message>
    <message>
        <source>The work was cancelled.</source>
        <translation>処理はキャンセルされました。</translation>
    </message>
    <message>
        <source>Nothing that was saved before has been lost.</source>
        <translation>それまでに保存したデータは失われていません。</translation>
    </message>
    <message>
        <source>The bundle {path} was refused: {reason}.</source>
        <translation>バンドル {path} は拒否されました：{reason}。</translation>
    </message>
    <message>
        <source>Nothing from it was applied. It is kept in quarantine; show it to your site lead.</source>
        <translation>内容は何も反映されていません。バンドルは隔離して保管されています。サイト責任者に見せてください。</translation>
    </message>
    <message>
        <source>The bundle was not written: {found} was found in {record} ({field}).</source>
        <translation>バンドルは書き出されませんでした：{record}（{field}）に {found} が見つかりました。</translation>
    </message>
    <message>
        <source>Revise the record to remove the identifying text, then withhold revision {revision} with a reason (Withhold this revision… in the Sync window, or haiops sync withhold) and sync again. Nothing left this workstation.</source>
        <translation>記録を修正して個人を特定できる記述を削除し、リビジョン {revision} を理由を付けて保留（同期ウィンドウの「このリビジョンの送信を保留…」または haiops sync withhold）してから、もう一度同期してください。このワークステーションからは何も送信されていません。</translation>
    </message>
    <message>
        <source>The revision {revision} cannot be withheld: {problem}.</source>
        <translation>リビジョン {revision} は送信を保留できません：{problem}。</translation>
    </message>
    <message>
        <source>Only a revision not yet sent can be withheld, with a reason, by its author or a site lead; revise or delete the record first.</source>
        <translation>送信を保留できるのは未送信のリビジョンだけで、作成者またはサイト責任者が理由を付けて行います。先に記録を修正または削除してください。</translation>
    </message>
    <message>
        <source>The site roster expired at {expires}; bundles cannot be signed.</source>
        <translation>施設の名簿は {expires} に期限切れになったため、バンドルに署名できません。</translation>
    </message>
    <message>
        <source>Pull from the store to receive the current roster, then push.</source>
        <translation>ストアからプルして最新の名簿を受け取ってから、プッシュしてください。</translation>
    </message>
    <message>
        <source>This workstation is not enrolled with a store ({missing}).</source>
        <translation>このワークステーションはストアに登録されていません（{missing}）。</translation>
    </message>
    <message>
        <source>Ask your site lead to enrol the device key shown by &apos;haiops sync status&apos;.</source>
        <translation>&apos;haiops sync status&apos; で表示される端末鍵の登録をサイト責任者に依頼してください。</translation>
    </message>
    <message>
        <source>The store {path} cannot be used.</source>
        <translation>ストア {path} は使用できません。</translation>
    </message>
    <message>
        <source>Check that the store is reachable and that you may write to it.</source>
        <translation>ストアに接続でき、書き込み権限があるか確認してください。</translation>
    </message>
    <message>
        <source>The store key file {path} cannot be opened.</source>
        <translation>ストアの鍵ファイル {path} を開けません。</translation>
    </message>
    <message>
        <source>Check the passphrase; the key file stays with the site lead.</source>
        <translation>パスフレーズを確認してください。鍵ファイルはサイト責任者が保管しています。</translation>
    </message>
    <message>
        <source>The stored text of the document {path} is missing from the project.</source>
        <translation>文書 {path} の保存済みテキストがプロジェクト内に見つかりません。</translation>
    </message>
    <message>
        <source>Import the document again; its spans were not changed.</source>
        <translation>文書をもう一度取り込んでください。スパンは変更されていません。</translation>
    </message>
    <message>
        <source>{path} cannot be used here.</source>
        <translation>{path} はここでは使用できません。</translation>
    </message>
    <message>
        <source>Run the command with --help to see its use.</source>
        <translation>使い方は --help を付けてコマンドを実行すると確認できます。</translation>
    </message>
    <message>
        <source>A password is missing: {which}.</source>
        <translation>パスワードが入力されていません：{which}。</translation>
    </message>
    <message>
        <source>Give passwords on standard input, one per line, with --password-stdin.</source>
        <translation>--password-stdin を付けて、パスワードを標準入力から 1 行に 1 つずつ渡してください。</translation>
    </message>
    <message>
        <source>{path} cannot be used for sync.</source>
        <translation>{path} は同期に使用できません。</translation>
    </message>
    <message>
        <source>Check the command&apos;s arguments and try again.</source>
        <translation>コマンドの引数を確認して、もう一度お試しください。</translation>
    </message>
    <message>
        <source>The quality figures cannot be computed.</source>
        <translation>品質指標を算出できません。</translation>
    </message>
    <message>
        <source>Nothing was changed. Show the detail in the log to your site lead.</source>
        <translation>何も変更されていません。ログの詳細をサイト責任者に見せてください。</translation>
    </message>
    <message>
        <source>The ratings cannot be compared: {problem}.</source>
        <translation>評価を比較できません：{problem}。</translation>
    </message>
    <message>
        <source>Give every rater one rating per item and try again.</source>
        <translation>すべての評価者が各項目に 1 つずつ評価を付けてから、もう一度お試しください。</translation>
    </message>
    <message>
        <source>The ratings table {path} cannot be used: {problem}.</source>
        <translation>評価表 {path} は使用できません：{problem}。</translation>
    </message>
    <message>
        <source>Check that the file is UTF-8 CSV with a header row naming both rater columns, and that no rating is empty.</source>
        <translation>ファイルが UTF-8 の CSV で、両方の評価者の列名を含むヘッダー行があり、空欄の評価がないことを確認してください。</translation>
    </message>
    <message>
        <source>The DICOM {format} of item {item} cannot be written: {problem}.</source>
        <translation>項目 {item} の DICOM {format} を書き出せません：{problem}。</translation>
    </message>
    <message>
        <source>Nothing was written. Correct the ROIs or the choice of annotator and export again.</source>
        <translation>何も書き出されていません。ROI またはアノテーターの選択を修正して、もう一度エクスポートしてください。</translation>
    </message>
    <message>
        <source>The source file {path} of the series is missing or has changed.</source>
        <translation>シリーズの元ファイル {path} が見つからないか、変更されています。</translation>
    </message>
    <message>
        <source>The export must reference the very images the ROIs were drawn on. Restore the file or add the series again.</source>
        <translation>エクスポートは ROI を描いた画像そのものを参照する必要があります。ファイルを元に戻すか、シリーズを追加し直してください。</translation>
    </message>
    <message>
        <source>The {plane} view of series {uid} cannot be made.</source>
        <translation>シリーズ {uid} の {plane} 断面を作成できません。</translation>
    </message>
    <message>
        <source>Choose another plane, position or pixel spacing.</source>
        <translation>別の断面、位置、または画素間隔を選んでください。</translation>
    </message>
    <message>
        <source>The file {path} could not be read for its patient details.</source>
        <translation>ファイル {path} から患者情報を読み取れませんでした。</translation>
    </message>
    <message>
        <source>Check that the file is still there and is DICOM, then add it again.</source>
        <translation>ファイルがまだ存在し DICOM であることを確認して、もう一度追加してください。</translation>
    </message>
    <message>
        <source>The file {path} cannot be used for sync.</source>
        <translation>ファイル {path} は同期に使用できません。</translation>
    </message>
    <message>
        <source>Check that the file exists and that you may read and write it.</source>
        <translation>ファイルが存在し、読み書きの権限があるか確認してください。</translation>
    </message>
    <message>
        <source>The conflict of record {record} cannot be resolved: {problem}.</source>
        <translation>記録 {record} の競合を解決できません：{problem}。</translation>
    </message>
    <message>
        <source>Refresh the list of conflicts and choose the version to keep.</source>
        <translation>競合の一覧を更新し、残すバージョンを選んでください。</translation>
    </message>
    <message>
        <source>The item {item} cannot move on: {problem}.</source>
        <translation>項目「{item}」を次の状態に進められません：{problem}。</translation>
    </message>
    <message>
        <source>Nothing was changed. Check the item&apos;s status and try again.</source>
        <translation>何も変更されていません。項目の状態を確認して、もう一度お試しください。</translation>
    </message>
    <message>
        <source>The item {item} cannot be assigned: {problem}.</source>
        <translation>項目「{item}」を割り当てられません：{problem}。</translation>
    </message>
    <message>
        <source>{user} is not an annotator of the item {item}.</source>
        <translation>{user} は項目「{item}」のアノテーターではありません。</translation>
    </message>
    <message>
        <source>The records of the item {item} stay hidden from {user} until every annotator has submitted.</source>
        <translation>すべてのアノテーターが提出するまで、項目「{item}」の記録は {user} には表示されません。</translation>
    </message>
    <message>
        <source>{user} annotated the item {item} and cannot review it.</source>
        <translation>{user} は項目「{item}」のアノテーションを行ったため、レビューできません。</translation>
    </message>
    <message>
        <source>The adjudication of {item} cannot be saved: {problem}.</source>
        <translation>「{item}」の裁定を保存できません：{problem}。</translation>
    </message>
    <message>
        <source>Nothing was changed. Name active users with the annotator role and a due date as YYYY-MM-DD.</source>
        <translation>何も変更されていません。アノテーターのロールを持つ有効なユーザーと、YYYY-MM-DD 形式の期限を指定してください。</translation>
    </message>
    <message>
        <source>Nothing was changed. Ask the site lead to assign the item to you.</source>
        <translation>何も変更されていません。サイト責任者に項目の割り当てを依頼してください。</translation>
    </message>
    <message>
        <source>The item is annotated blind twice. Submit your own work first.</source>
        <translation>この項目は 2 名が互いに見えない状態でアノテーションします。先に自分の作業を提出してください。</translation>
    </message>
    <message>
        <source>Nothing was changed. Nobody reviews their own work: ask another reviewer.</source>
        <translation>何も変更されていません。自分の作業は自分でレビューできません。別のレビュー担当者に依頼してください。</translation>
    </message>
    <message>
        <source>Nothing was changed or signed. Choose a side for every difference and give a reason.</source>
        <translation>何も変更・署名されていません。すべての相違点についてどちらかを選び、理由を入力してください。</translation>
    </message>
    <message>
        <source>The gold mention {mention} cannot be found in the document.</source>
        <translation>ゴールドスタンダードの記載箇所 {mention} が文書内に見つかりません。</translation>
    </message>
    <message>
        <source>No gold spans were imported. Check that the document holds the same text as the gold standard.</source>
        <translation>ゴールドスタンダードのスパンは取り込まれませんでした。文書がゴールドスタンダードと同じテキストであることを確認してください。</translation>
    </message>
</context>
<context>
    <name>signatures</name>
    <message>
        <source>I am the author of these records and they are complete and correct to the best of my knowledge.</source>
        <translation>私はこれらの記録の作成者であり、私の知る限り、記録は完全かつ正確です。</translation>
    </message>
    <message>
        <source>I have reviewed these records against their source and agree with them.</source>
        <translation>私はこれらの記録を原資料と照合してレビューし、その内容に同意します。</translation>
    </message>
    <message>
        <source>I approve these records for use as they stand.</source>
        <translation>私はこれらの記録を現状のまま使用することを承認します。</translation>
    </message>
    <message>
        <source>I reject these records for the reason given.</source>
        <translation>私は記載した理由により、これらの記録を差し戻します。</translation>
    </message>
    <message>
        <source>As site lead I authorise unlocking this locked record for the reason given.</source>
        <translation>私はサイト責任者として、記載した理由により、このロックされた記録のロック解除を許可します。</translation>
    </message>
    <message>
        <source>This electronic signature is the legally binding equivalent of my handwritten signature.</source>
        <translation>この電子署名は、私の手書き署名と同等の法的拘束力を持ちます。</translation>
    </message>
</context>
</TS>
